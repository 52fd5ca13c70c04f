import { AuthError } from '../core'
import {
  AppError,
  isNetworkFailure,
  offlineError,
  toAppError,
  isRevocation,
  type SignOutReason,
} from '../core/tools'
import { alertContent, signOutHint } from './alerts'
import type { Alert, SessionState } from './state'

/** The console's error behind a library error: the protocol layer's AppError, which it wraps. */
export function underlying(cause: unknown): unknown {
  return cause instanceof AuthError && cause.cause instanceof AppError ? cause.cause : cause
}

/** Why another tab (or this one) ended the session, as the getter tells it to every tab. */
function signOutReason(cause: AuthError): SignOutReason {
  const inner = cause.cause as Partial<SignOutReason> | undefined
  return typeof inner?.code === 'string' && typeof inner.message === 'string'
    ? { code: inner.code, message: inner.message }
    : { code: cause.code, message: cause.message }
}

/** How errors become the alerts (role="alert") the user reads. */
export interface Notices {
  toAlert: (cause: unknown, step: string) => Alert
  /** The alert for a session that ended: its reason, and how to sign in again. */
  signOutAlert: (reason: AuthError) => Alert
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
      // The page's origin is the console's to know: a provider's CORS rule must name it.
      return { id: ++alertSeq, ...alertContent(error, { origin }) }
    },
    signOutAlert(cause) {
      const reason = signOutReason(cause)
      return { id: ++alertSeq, ...reason, hint: signOutHint(reason) }
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
          { detail: { ...error.detail, fallback: true } },
        ),
        'discovery request',
      )
    },
  }
  return notices
}
