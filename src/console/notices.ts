import { AuthError } from '../core'
import { AppError, isNetworkFailure, offlineError, toAppError } from '../core/protocol/errors'
import { isRevocation } from '../core/protocol/refresh'
import type { SignOutReason } from '../core/refresh/token-getter'
import type { Alert, SessionState } from './state'

/**
 * The console's error behind a library error: the protocol layer's AppError (or a sign-out
 * reason from another tab), which carries the hint the user sees.
 */
export function underlying(cause: unknown): unknown {
  if (!(cause instanceof AuthError)) return cause
  const inner = cause.cause
  if (inner instanceof AppError) return inner
  const reason = inner as Partial<SignOutReason> | undefined
  if (typeof reason?.code === 'string' && typeof reason.hint === 'string')
    return new AppError(reason.code as AppError['code'], cause.message, reason.hint)
  return cause
}

/** How errors become the alerts (role="alert") the user reads. */
export interface Notices {
  toAlert: (cause: unknown, step: string) => Alert
  alert: (cause: unknown, step: string) => void
  /** Shows an error, unless it is the refresh failure that already signed the user out. */
  alertUnlessSignedOut: (cause: unknown, step: string) => void
  /** Says a discovery fallback once, however many actions (or clients) met it. */
  announceFallback: (fallback: unknown) => void
}

/**
 * Creates the alerts of one page: `origin` is the page's, named in CORS advice; `offline` says
 * whether the browser knows it has no network.
 */
export function createNotices(
  origin: string,
  offline: () => boolean,
  getState: () => SessionState,
  update: (patch: Partial<SessionState>) => void,
): Notices {
  let alertSeq = 0
  const announced = new WeakSet<object>()
  const notices: Notices = {
    toAlert(cause, step) {
      const diagnosed = toAppError(underlying(cause), step)
      // Offline, "the network is down or CORS" is no riddle: say which.
      const error =
        offline() && isNetworkFailure(diagnosed) ? offlineError(step, diagnosed) : diagnosed
      return {
        id: ++alertSeq,
        code: error.displayCode,
        message: error.message,
        // The library cannot see the page's origin; the provider's CORS rule must name it.
        hint:
          error.code === 'cors_blocked'
            ? `Check your connection; if it works, ask the provider to allow the origin ${origin}, or use a provider that supports browser-based apps.`
            : error.hint,
        ...(error.errorDescription !== undefined ? { description: error.errorDescription } : {}),
      }
    },
    alert(cause, step) {
      update({ alerts: [...getState().alerts, notices.toAlert(cause, step)] })
    },
    alertUnlessSignedOut(cause, step) {
      const error = toAppError(underlying(cause), step)
      if (isRevocation(error)) return
      notices.alert(error, step)
    },
    announceFallback(fallback) {
      const error = underlying(fallback)
      if (!(error instanceof AppError) || announced.has(error)) return
      announced.add(error)
      notices.alert(
        new AppError(
          error.code,
          `${error.message} Using the endpoints configured in the profile instead.`,
          'Nothing to do unless the login fails.',
        ),
        'discovery request',
      )
    },
  }
  return notices
}
