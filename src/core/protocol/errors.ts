import { AppError } from './app-error'
import { fromOAuthError } from './oauth-errors'

export { APP_ERROR_CODES, AppError, type AppErrorCode, type AppErrorDetail } from './app-error'

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
 * Turns whatever a protocol step threw into an {@link AppError}: oauth4webapi's errors by their
 * class, `code` and structured `cause` (never by message text), aborts as `timeout`, a bare
 * `TypeError` from fetch as `cors_blocked`; anything else is `internal_error`, its cause kept.
 * `step` names the request ("token request", "refresh request", "discovery") for messages.
 */
export function toAppError(cause: unknown, step: string): AppError {
  if (cause instanceof AppError) return cause
  if (abortedByTimeout(cause)) {
    return new AppError('timeout', `The ${step} took too long and was cancelled.`, { cause })
  }
  const classified = fromOAuthError(cause, step)
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

/**
 * What a request that cannot reach the provider says when the browser knows it is offline
 * (`navigator.onLine` is false): plainer than the network-or-CORS diagnosis, which it replaces.
 * `cause` is the failure itself, if the request was tried.
 */
export function offlineError(step: string, cause?: unknown): AppError {
  return new AppError(
    'provider_unavailable',
    `You are offline: the provider cannot be reached for the ${step}.`,
    { detail: { offline: true }, ...(cause === undefined ? {} : { cause }) },
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
  )
}
