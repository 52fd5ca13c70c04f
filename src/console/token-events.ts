import type { Alert, SessionState } from './state'
import type { TokenEvent } from '../core/refresh/token-getter'
import { GAVE_UP_HINT, RETRYING_HINT, signOutHint } from './alerts'

/**
 * What a token getter's event changes in the session state: new tokens, a sign-out with its
 * reason as an alert, or the notice of a refresh being retried. Pure; `alertFor` turns the
 * retried error into an alert (with a fresh id).
 */
export function tokenEventPatch(
  event: TokenEvent,
  state: SessionState,
  nextAlertId: () => number,
  alertFor: (error: unknown) => Alert,
): Partial<SessionState> {
  switch (event.type) {
    case 'updated':
      return { tokens: event.tokens, retrying: undefined }
    case 'signed-out':
      return {
        tokens: undefined,
        retrying: undefined,
        ...(event.reason
          ? {
              alerts: [
                ...state.alerts,
                { id: nextAlertId(), ...event.reason, hint: signOutHint(event.reason) },
              ],
            }
          : {}),
      }
    case 'retrying': {
      const base = alertFor(event.error)
      const seconds = String(Math.round(event.delayMs / 1000))
      return {
        retrying: {
          ...base,
          message: `${base.message} Your tokens are kept; retrying in ${seconds} s (attempt ${String(event.attempt + 1)}).`,
          hint: RETRYING_HINT,
        },
      }
    }
    case 'recovered':
      return { retrying: undefined }
    case 'gave-up': {
      const base = alertFor(event.error)
      return {
        retrying: undefined,
        alerts: [
          ...state.alerts,
          {
            ...base,
            message: `${base.message} Retries stopped; your tokens are kept.`,
            hint: GAVE_UP_HINT,
          },
        ],
      }
    }
  }
}
