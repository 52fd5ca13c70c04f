import { GAVE_UP_HINT, RETRYING_HINT } from './alerts'
import type { Alert } from './state'

/**
 * The notice shown while a failed refresh is retried: what failed, that the tokens are kept, and
 * when the next attempt is (`attempt` counts from 0).
 */
export function retryingNotice(base: Alert, attempt: number, delayMs: number): Alert {
  const seconds = String(Math.round(delayMs / 1000))
  return {
    ...base,
    message: `${base.message} Your tokens are kept; retrying in ${seconds} s (attempt ${String(attempt + 1)}).`,
    hint: RETRYING_HINT,
  }
}

/** The alert once refresh retries stopped: the tokens are kept, and what the user can do. */
export function gaveUpAlert(base: Alert): Alert {
  return {
    ...base,
    message: `${base.message} Retries stopped; your tokens are kept.`,
    hint: GAVE_UP_HINT,
  }
}
