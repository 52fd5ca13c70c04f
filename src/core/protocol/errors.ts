import { AppError, asAppError } from './app-error'
import { fromOAuthError } from './oauth-errors'

export {
  abortedByTimeout,
  APP_ERROR_CODES,
  AppError,
  type AppErrorCode,
  type AppErrorDetail,
} from './app-error'

/**
 * Turns whatever a protocol step threw into an {@link AppError}: oauth4webapi's errors by their
 * class, `code` and structured `cause` (never by message text), aborts as `timeout`, a bare
 * `TypeError` from fetch as `cors_blocked`; anything else is `internal_error`, its cause kept.
 * `step` names the request ("token request", "refresh request", "discovery") for messages.
 */
export function toAppError(cause: unknown, step: string): AppError {
  return asAppError(cause, step, fromOAuthError)
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
