/** Stable codes of {@link AppError}; `oauth_error` carries the provider's own code in `error`. */
export const APP_ERROR_CODES = [
  'oauth_error',
  'state_mismatch',
  'no_pending_login',
  'login_expired',
  'iss_mismatch',
  'invalid_profile',
  'discovery_failed',
  'issuer_mismatch',
  'fallback_off_issuer',
  'fragment_response',
  'site_data_blocked',
  'cors_blocked',
  'timeout',
  'invalid_token_response',
  'id_token_invalid',
  'not_signed_in',
  'provider_unavailable',
  'clock_skew',
  'no_refresh_token',
  'token_destination',
  'pkce_unsupported',
  'profile_changed',
  'server_changed',
  'dpop_mismatch',
  'internal_error',
] as const

/** One of {@link APP_ERROR_CODES}. */
export type AppErrorCode = (typeof APP_ERROR_CODES)[number]

/**
 * The situation of an {@link AppError}, where what to do about it depends on more than the code.
 * Facts only: the advice itself is the caller's (the console's `hintFor`).
 */
export interface AppErrorDetail {
  /**
   * The field at fault: a profile field (`client_id`), an ID token claim (`aud`), or an attribute
   * of the metadata or the token answer (`issuer`, `token_type`), as oauth4webapi's error names it.
   */
  field?: string
  /** The step it happened in, where the same code means something else there. */
  step?: 'discovery' | 'refresh' | 'logout return' | 'import'
  /** The URL at issue: where discovery was read from, or the issuer a callback claims. */
  url?: string
  /** Discovery met a redirect, which it does not follow. */
  redirected?: boolean
  /** Discovery failed and the profile's own endpoints stand in: a notice, not a failure. */
  fallback?: boolean
  /** The scope a resource asks for (userinfo's 403, RFC 6750 §3.1). */
  scope?: string
  /** For an import: how many of the file's profiles were imported. */
  imported?: number
  /** The browser knows it is offline (`navigator.onLine` is false). */
  offline?: boolean
}

/**
 * Everything that can go wrong: what happened, naming the input (`message`), and a stable `code`.
 * It says nothing to the user about what to do: that is the console's (`hintFor`), since the
 * library's callers word their own.
 */
export class AppError extends Error {
  override name = 'AppError'
  /** Machine-readable cause; switch on it. */
  readonly code: AppErrorCode
  /** The OAuth `error` code (RFC 6749 §4.1.2.1, §5.2) when the provider sent one. */
  readonly error: string | undefined
  /** The provider's `error_description`, untrusted text: render it as text only. */
  readonly errorDescription: string | undefined
  /** The HTTP status of the provider's answer, when one arrived. */
  readonly status: number | undefined
  /** The situation, where it matters for what to do next. */
  readonly detail: AppErrorDetail | undefined

  constructor(
    code: AppErrorCode,
    message: string,
    options: {
      cause?: unknown
      error?: string
      errorDescription?: string
      status?: number
      detail?: AppErrorDetail
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.error = options.error
    this.errorDescription = options.errorDescription
    this.status = options.status
    this.detail = options.detail
  }

  /** The code shown to users: the OAuth error when there is one, else ours. */
  get displayCode(): string {
    return this.error ?? this.code
  }
}
