/**
 * Stable error codes of the platform-services client. Every failure leaves this
 * module as an `AppError` carrying one of these codes; callers branch on `code`,
 * never on the message.
 *
 * Access tokens and client assertions never appear in messages or details.
 */
export const PlatformErrorCode = {
  /** The platform did not answer within the per-request timeout (HTTP 504). */
  TIMEOUT: 'PLATFORM_TIMEOUT',
  /** Network failure: connection refused/reset, DNS failure... (HTTP 502). */
  UNREACHABLE: 'PLATFORM_UNREACHABLE',
  /** The token endpoint refused the client_credentials grant; details carry error/error_description (HTTP 502). */
  TOKEN_REJECTED: 'PLATFORM_TOKEN_REJECTED',
  /** The platform answered a non-2xx status; details carry status, method and a redacted url (HTTP 502). */
  HTTP_ERROR: 'PLATFORM_HTTP_ERROR',
  /** The platform answered 2xx with a body we cannot use (not JSON, wrong shape, foreign paging link...) (HTTP 502). */
  BAD_RESPONSE: 'PLATFORM_BAD_RESPONSE',
  /** The tool's own configuration is unusable (e.g. the private key cannot be imported) (HTTP 500). */
  CONFIG_INVALID: 'PLATFORM_CONFIG_INVALID',
  /** The caller passed something unusable (empty scope list, non-http URL, score without activityProgress...) (HTTP 500). */
  INVALID_ARGUMENT: 'PLATFORM_INVALID_ARGUMENT',
} as const;

export type PlatformErrorCode = (typeof PlatformErrorCode)[keyof typeof PlatformErrorCode];
