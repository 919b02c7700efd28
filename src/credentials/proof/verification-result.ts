import type { DocumentLoader } from '../contexts/document-loader';
import type { JsonObject } from './libs';

export type CheckName = 'proof' | 'signature' | 'expiry' | 'notYetValid' | 'status' | 'issuerKey' | 'jwtClaims';

export interface VerificationCheck {
  check: CheckName;
  ok: boolean;
  message: string;
}

export interface VerificationResult {
  verified: boolean;
  format: 'data-integrity' | 'vc-jwt';
  credential?: JsonObject;
  checks: VerificationCheck[];
}

export interface CredentialStatusResult {
  revoked: boolean;
  suspended: boolean;
}

/** A public JWK, or null when the resolver does not know the key. */
export type IssuerKeyResolver = (ref: {
  /** The JOSE `kid` header, when present. */
  kid?: string;
  /** The JOSE `jwk` header, when present (only trusted if the resolver vouches for it). */
  jwk?: JsonObject;
  /** The credential's issuer id (`iss`). */
  issuer?: string;
  alg: string;
}) => Promise<JsonObject | null>;

export interface VerifyOptions {
  /** Offline loader; DIDs (did:web of our issuers, did:key, …) resolve through its `resolveDid`. */
  documentLoader: DocumentLoader;
  /** VC-JWT keys not reachable as DID URLs (e.g. an https kid): consulted first, before DID resolution. */
  resolveIssuerKey?: IssuerKeyResolver;
  /** Called when the credential has `credentialStatus`; without it such a credential's status check fails. */
  checkStatus?: (credential: JsonObject) => Promise<CredentialStatusResult>;
  now?: Date;
  /** Tolerance for validFrom/validUntil against `now`, between servers whose clocks differ; default 60 s. */
  maxClockSkewSeconds?: number;
}

export const pass = (check: CheckName, message: string): VerificationCheck => ({ check, ok: true, message });
export const fail = (check: CheckName, message: string): VerificationCheck => ({ check, ok: false, message });

/** A readable reason, unwrapping the aggregate errors jsonld-signatures reports ("Verification error(s)."). */
export const errorMessage = (err: unknown): string => {
  if (Array.isArray(err)) return err.map(errorMessage).join('; ');
  const nested = (err as { errors?: unknown })?.errors;
  if (Array.isArray(nested) && nested.length > 0) return errorMessage(nested);
  // jsonld safe mode names the offending term or type in the event it attaches
  const event = (err as { details?: { event?: { message?: string; details?: unknown } } })?.details?.event;
  if (err instanceof Error && event?.message) return `${err.message} ${event.message} ${JSON.stringify(event.details ?? {})}`;
  if (err instanceof Error) return err.message;
  return String(err);
};
