import * as oauth from 'oauth4webapi'

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
  | 'dpop_mismatch'

/** Everything that can go wrong, said in a way a user can act on. */
export class AppError extends Error {
  override name = 'AppError'
  /** Machine-readable cause; switch on it. */
  readonly code: AppErrorCode
  /** The OAuth `error` code (RFC 6749 §4.1.2.1, §5.2) when the provider sent one. */
  readonly error: string | undefined
  /** The provider's `error_description`, untrusted text: render it as text only. */
  readonly errorDescription: string | undefined
  /** One sentence telling the user what to do next. */
  readonly hint: string

  constructor(
    code: AppErrorCode,
    message: string,
    hint: string,
    options: { cause?: unknown; error?: string; errorDescription?: string } = {},
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.error = options.error
    this.errorDescription = options.errorDescription
    this.hint = hint
  }

  /** The code shown to users: the OAuth error when there is one, else ours. */
  get displayCode(): string {
    return this.error ?? this.code
  }
}

const RESTART = 'Press Log in to start again.'

/**
 * Whether the request was aborted, here or deeper in the cause chain: a body that stalls after the
 * headers aborts inside oauth4webapi's JSON parsing, which wraps the abort in a parse error.
 */
function abortedByTimeout(cause: unknown): boolean {
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
 * Turns whatever a protocol step threw into an {@link AppError}. `step` names the request
 * ("token request", "refresh request", "discovery") for messages.
 */
export function toAppError(cause: unknown, step: string): AppError {
  if (cause instanceof AppError) return cause
  if (cause instanceof oauth.AuthorizationResponseError) {
    return new AppError(
      'oauth_error',
      `The provider refused the authorization: ${cause.error}`,
      cause.error === 'access_denied'
        ? 'Access was denied at the provider. Press Log in to try again and allow access.'
        : RESTART,
      { cause, error: cause.error, errorDescription: cause.error_description },
    )
  }
  if (cause instanceof oauth.ResponseBodyError) {
    return new AppError(
      'oauth_error',
      `The ${step} was refused (HTTP ${String(cause.status)}): ${cause.error}`,
      cause.error === 'invalid_client'
        ? 'The provider does not accept this Client ID or secret: check the profile.'
        : RESTART,
      { cause, error: cause.error, errorDescription: cause.error_description },
    )
  }
  if (cause instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = cause.cause[0]
    const error = challenge?.parameters.error ?? `http_${String(cause.status)}`
    return new AppError(
      'oauth_error',
      `The ${step} was refused (HTTP ${String(cause.status)}): ${error}`,
      error === 'invalid_client'
        ? 'The provider does not accept this Client ID or secret: check the profile.'
        : RESTART,
      {
        cause,
        error,
        ...(challenge?.parameters.error_description !== undefined
          ? { errorDescription: challenge.parameters.error_description }
          : {}),
      },
    )
  }
  if (
    cause instanceof oauth.OperationProcessingError &&
    cause.code === oauth.RESPONSE_IS_NOT_CONFORM &&
    cause.cause instanceof Response
  ) {
    const status = cause.cause.status
    return new AppError(
      status >= 500 ? 'provider_unavailable' : 'invalid_token_response',
      `The ${step} failed: the provider answered HTTP ${String(status)} without an OAuth error.`,
      status >= 500 ? 'The provider seems to be down; try again in a moment.' : RESTART,
      { cause },
    )
  }
  if (abortedByTimeout(cause)) {
    return new AppError(
      'timeout',
      `The ${step} took too long and was cancelled.`,
      'The provider may be slow or down. ' + RESTART,
      { cause },
    )
  }
  if (cause instanceof TypeError && !(cause as { code?: unknown }).code) {
    // fetch() rejects with a bare TypeError both when the network is down and when CORS blocks the
    // answer; the page cannot tell which (the response never reaches script).
    return new AppError(
      'cors_blocked',
      `The ${step} failed before any answer reached the app: the network is down, or the provider does not allow requests from this app's origin (CORS).`,
      `Check your connection; if it works, ask the provider to allow this app's origin, or use a provider that supports browser-based apps.`,
      { cause },
    )
  }
  if (cause instanceof oauth.OperationProcessingError) {
    const message = cause.message
    // The callback's `iss` parameter; an ID token's `iss` claim ("JWT") is handled below.
    if (/"iss"/.test(message) && !/JWT/.test(message)) {
      return new AppError(
        'iss_mismatch',
        `The callback's issuer (iss) is missing or not this provider's: ${message}.`,
        'The answer may come from another provider (mix-up attack). ' + RESTART,
        { cause },
      )
    }
    if (
      cause.code === oauth.JWT_CLAIM_COMPARISON ||
      cause.code === oauth.JWT_TIMESTAMP_CHECK ||
      // Only ID tokens arrive as JWTs in the answers processed here (e.g. an `alg` not allowed).
      /ID Token|JWT/i.test(message)
    ) {
      return new AppError('id_token_invalid', `The ID token was refused: ${message}.`, RESTART, {
        cause,
      })
    }
    return new AppError(
      'invalid_token_response',
      `The provider's answer to the ${step} is not valid: ${message}.`,
      'This is a provider problem. ' + RESTART,
      { cause },
    )
  }
  const text = cause instanceof Error ? cause.message : String(cause)
  return new AppError('invalid_token_response', `The ${step} failed: ${text}`, RESTART, { cause })
}

/**
 * What a request that cannot reach the provider says when the browser knows it is offline
 * (`navigator.onLine` is false): plainer than the network-or-CORS diagnosis, which it replaces.
 * `cause` is the failure itself, if the request was tried.
 */
export function offlineError(step: string, cause?: unknown): AppError {
  return new AppError(
    'provider_unavailable',
    `You are offline: the provider cannot be reached for the ${step}.`,
    'Connect to the network and try again. Stored sessions, their claims and the Decoder work offline.',
    cause === undefined ? {} : { cause },
  )
}

/** A failure that no answer reached: with the browser offline, {@link offlineError} says it. */
export function isNetworkFailure(error: AppError): boolean {
  return error.code === 'cors_blocked' || error.code === 'timeout'
}

/** The warning shown when the device's clock and the provider's disagree by minutes or more. */
export function clockSkewError(skewMs: number): AppError {
  const minutes = Math.round(Math.abs(skewMs) / 60_000)
  const amount =
    minutes >= 90 ? `${String(Math.round(minutes / 60))} hours` : `${String(minutes)} minutes`
  return new AppError(
    'clock_skew',
    `This device's clock is about ${amount} ${skewMs < 0 ? 'ahead of' : 'behind'} the provider's. The login worked: token expiry is counted from when tokens arrive, but times in claims are the provider's.`,
    "Set this device's clock automatically (network time) to avoid surprises.",
  )
}
