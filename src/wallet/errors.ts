/**
 * Errors of the OAuth-protected wallet endpoints, in the wire form OAuth 2.0 (RFC 6749 §5.2), RFC 6750 §3 and
 * OID4VCI 1.0 §8.3.1 prescribe: `{ error, error_description }`, never the app's own error JSON.
 */
export type WalletErrorCode =
  // token endpoint (RFC 6749 §5.2; OID4VCI §6.3)
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_client'
  // protected resource (RFC 6750 §3.1)
  | 'invalid_token'
  // credential endpoint (OID4VCI 1.0 §8.3.1.2)
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'unknown_credential_identifier'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'invalid_encryption_parameters'
  | 'credential_request_denied'
  // offer resolution (not an OAuth endpoint; same shape for the wallet's sake)
  | 'offer_not_found'
  | 'offer_used'
  | 'offer_refused'
  | 'server_error';

const STATUS: Record<WalletErrorCode, number> = {
  invalid_request: 400,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_client: 401,
  invalid_token: 401,
  invalid_credential_request: 400,
  unknown_credential_configuration: 400,
  unknown_credential_identifier: 400,
  invalid_proof: 400,
  invalid_nonce: 400,
  invalid_encryption_parameters: 400,
  credential_request_denied: 400,
  offer_not_found: 404,
  offer_used: 410,
  offer_refused: 403,
  server_error: 500,
};

export class WalletError extends Error {
  readonly status: number;
  constructor(
    readonly error: WalletErrorCode,
    description: string,
  ) {
    // error_description: printable ASCII without '"' and '\' (RFC 6749 §5.2)
    super(description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, ' '));
    this.name = 'WalletError';
    this.status = STATUS[error];
  }

  body(): { error: WalletErrorCode; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

export const isWalletError = (err: unknown): err is WalletError => err instanceof WalletError;
