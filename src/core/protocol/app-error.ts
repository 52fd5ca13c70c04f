/** Stable codes of {@link AppError}; `oauth_error` carries the provider's own code in `error`. */
export type AppErrorCode =
  | 'oauth_error'
  | 'state_mismatch'
  | 'no_pending_login'
  | 'login_expired'
  | 'iss_mismatch'
  | 'invalid_profile'
  | 'discovery_failed'
  | 'issuer_mismatch'
  | 'fallback_off_issuer'
  | 'fragment_response'
  | 'site_data_blocked'
  | 'cors_blocked'
  | 'timeout'
  | 'invalid_token_response'
  | 'id_token_invalid'
  | 'not_signed_in'
  | 'provider_unavailable'
  | 'clock_skew'
  | 'no_refresh_token'
  | 'token_destination'
  | 'pkce_unsupported'
  | 'profile_changed'
  | 'server_changed'
  | 'internal_error'

/** The situation of an {@link AppError}, for whoever must say what to do about it. */
export interface AppErrorDetail {
  /**
   * The field at fault: a profile field (`client_id`), an ID token claim (`aud`) or a metadata
   * attribute (`issuer`), as oauth4webapi's error names it.
   */
  field?: string
}

/** Everything that can go wrong, said in a way a user can act on. */
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
  /** One sentence telling the user what to do next. */
  readonly hint: string

  constructor(
    code: AppErrorCode,
    message: string,
    hint: string,
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
    this.hint = hint
  }

  /** The code shown to users: the OAuth error when there is one, else ours. */
  get displayCode(): string {
    return this.error ?? this.code
  }
}
