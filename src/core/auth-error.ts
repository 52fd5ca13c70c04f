import { AppError } from './protocol/app-error'

/**
 * Codes of {@link AuthError}: the provider's OAuth error code when it sent one (RFC 6749 §4.1.2.1,
 * §5.2), else the library's own. One string union to `switch` on; user-facing hints are the
 * caller's, not the library's.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2.1
 */
export const AUTH_ERROR_CODES = [
  'access_denied',
  'invalid_grant',
  'invalid_client',
  'invalid_request',
  'invalid_scope',
  'unauthorized_client',
  'server_error',
  'temporarily_unavailable',
  'state_mismatch',
  'iss_mismatch',
  'issuer_mismatch',
  'no_pending_login',
  'login_expired',
  'profile_changed',
  'server_changed',
  'fallback_off_issuer',
  'fragment_response',
  'site_data_blocked',
  'cors_blocked',
  'timeout',
  'invalid_token_response',
  'id_token_invalid',
  'provider_unavailable',
  'pkce_unsupported',
  'invalid_profile',
  'no_refresh_token',
  'not_signed_in',
  'token_destination',
  'discovery_failed',
  'clock_skew',
  'dpop_mismatch',
  'oauth_error',
  'internal_error',
] as const

/**
 * One of {@link AUTH_ERROR_CODES}: what {@link AuthError.code} says.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 */
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number]

const KNOWN_CODES = new Set<string>(AUTH_ERROR_CODES)

/** `code` when the library knows it, else `oauth_error` (a provider's own error code). */
export function authErrorCode(code: string): AuthErrorCode {
  return KNOWN_CODES.has(code) ? (code as AuthErrorCode) : 'oauth_error'
}

/** The provider's own codes (RFC 6749 §4.1.2.1, §5.2): the first entries of the list. */
const OAUTH_CODES = new Set<string>(
  AUTH_ERROR_CODES.slice(0, AUTH_ERROR_CODES.indexOf('state_mismatch')),
)

/**
 * Everything the library rejects with. Classified from oauth4webapi's error classes and codes and
 * the HTTP status, never from message text; `message` names what failed, but says nothing to the
 * user about what to do (that is the app's).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3.1
 */
export class AuthError extends Error {
  override name = 'AuthError'
  /** What went wrong; switch on it. `oauth_error` when the provider sent a code not listed. */
  readonly code: AuthErrorCode
  /** The provider's OAuth `error`, when it sent one. */
  readonly error: string | undefined
  /** The provider's `error_description`: untrusted text, render it as text only. */
  readonly error_description: string | undefined
  /** The HTTP status of the answer that failed, when there was one. */
  readonly status: number | undefined

  constructor(
    code: AuthErrorCode,
    message: string,
    options: { cause?: unknown; error?: string; error_description?: string; status?: number } = {},
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.error = options.error
    this.error_description = options.error_description
    this.status = options.status
  }
}

/** The library's view of any failure of the protocol layer. */
export function toAuthError(cause: unknown): AuthError {
  if (cause instanceof AuthError) return cause
  if (!(cause instanceof AppError)) {
    const message = cause instanceof Error ? cause.message : String(cause)
    return new AuthError('internal_error', message, { cause })
  }
  const providerCode = cause.error
  const code: AuthErrorCode =
    providerCode !== undefined && OAUTH_CODES.has(providerCode)
      ? authErrorCode(providerCode)
      : providerCode !== undefined
        ? 'oauth_error'
        : authErrorCode(cause.code)
  const status = cause.status
  return new AuthError(code, cause.message, {
    cause,
    ...(providerCode !== undefined ? { error: providerCode } : {}),
    ...(cause.errorDescription !== undefined ? { error_description: cause.errorDescription } : {}),
    ...(status !== undefined ? { status } : {}),
  })
}
