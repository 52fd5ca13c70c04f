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
  /** The provider's own numeric error codes beside the OAuth one (Entra's `error_codes`). */
  providerCodes?: number[]
  /** The provider's page about the error (`error_uri`, RFC 6749 §5.2), when it is `https:`. */
  errorUri?: string
  /** How long the provider asked to wait (`Retry-After` in seconds, on a 429 or 503), in ms. */
  retryAfterMs?: number
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

/**
 * Whether the request was aborted, here or deeper in the cause chain: a body that stalls after the
 * headers aborts inside oauth4webapi's JSON parsing, which wraps the abort in a parse error.
 */
export function abortedByTimeout(cause: unknown): boolean {
  let error = cause
  for (let depth = 0; depth < 4 && typeof error === 'object' && error !== null; depth++) {
    if (
      error instanceof DOMException &&
      (error.name === 'TimeoutError' || error.name === 'AbortError')
    )
      return true
    error = (error as { cause?: unknown }).cause
  }
  return false
}

/**
 * Turns a failure into an {@link AppError} without oauth4webapi (so the start page need not load
 * it): an AppError as it is, aborts as `timeout`, a bare `TypeError` from fetch (or from loading
 * a chunk) as `cors_blocked`, anything else `internal_error`, its cause kept. `classify` names
 * the failures of a library it knows, before the bare `TypeError` rule (`toAppError` passes
 * oauth4webapi's). `step` names the request ("token request", "refresh request") for messages.
 */
export function asAppError(
  cause: unknown,
  step: string,
  classify?: (cause: unknown, step: string) => AppError | undefined,
): AppError {
  if (cause instanceof AppError) return cause
  if (abortedByTimeout(cause)) {
    return new AppError('timeout', `The ${step} took too long and was cancelled.`, { cause })
  }
  const classified = classify?.(cause, step)
  if (classified !== undefined) return classified
  // fetch() rejects with a bare TypeError both when the network is down and when CORS blocks the
  // answer; the page cannot tell which (the response never reaches script). oauth4webapi's
  // argument checks throw TypeErrors too, with a `code`: those are a fault here.
  if (cause instanceof TypeError && (cause as { code?: unknown }).code === undefined) {
    return new AppError(
      'cors_blocked',
      `The ${step} failed before any answer reached the app: the network is down, or the provider does not allow requests from this app's origin (CORS).`,
      { cause },
    )
  }
  const text = cause instanceof Error ? cause.message : String(cause)
  return new AppError('internal_error', `The ${step} failed inside PKCE Console: ${text}`, {
    cause,
  })
}
