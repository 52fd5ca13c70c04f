import { asAppError, type AppError } from '../protocol/app-error'
import type { StoredTokens } from '../storage/token-store'
import { backoffDelay, isExpired, isTransient } from './refresh-policy'
import type { Timers } from './refresh-timer'

/** What the retries report. */
export type RetryEvent =
  | { type: 'retrying'; error: AppError; attempt: number; delayMs: number }
  | { type: 'recovered' }
  | { type: 'gave-up'; error: AppError }

/**
 * Refreshes when due (`attempt`), retrying transient failures with backoff: the returned function
 * is shared by every caller while it runs. While the old token is still valid (inside the margin)
 * a failure is no reason to wait: the old token is used and the retry runs in the background
 * (`retryIn`). After `maxAttempts` failures in a row it gives up; the tokens are kept. A
 * provider's `Retry-After` (a 429 or 503) lengthens the wait, and after giving up no request is
 * sent for as long as the last wait (at least the longest backoff): callers in the meantime get
 * the still-valid token, or the last error, so a rate-limited provider is not asked again at once.
 */
export function createRetryingRefresh(options: {
  attempt: () => Promise<StoredTokens>
  /** The tokens held in memory now. */
  current: () => StoredTokens | undefined
  now: () => number
  timers: Timers
  /** Schedules the background retry (it calls the returned function again). */
  retryIn: (ms: number) => void
  emit: (event: RetryEvent) => void
  maxAttempts: number
}): () => Promise<StoredTokens> {
  const { current, now, emit, maxAttempts } = options
  let ensuring: Promise<StoredTokens> | undefined
  /** Transient refresh failures in a row; sets the backoff, reset by a success. */
  let failures = 0
  /** After giving up: no request before `until`; callers get the held token or `error`. */
  let coolDown: { until: number; error: AppError } | undefined
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => options.timers.setTimeout(resolve, ms))

  return () => {
    ensuring ??= (async () => {
      if (coolDown !== undefined && now() < coolDown.until) {
        const held = current()
        if (held !== undefined && !isExpired(held, now())) return held
        throw coolDown.error
      }
      coolDown = undefined
      for (;;) {
        try {
          const tokens = await options.attempt()
          if (failures > 0) emit({ type: 'recovered' })
          failures = 0
          return tokens
        } catch (cause) {
          const error = asAppError(cause, 'refresh request')
          const held = current()
          if (!isTransient(error) || held === undefined) throw error
          failures += 1
          // The provider's own wait, when it said one, else the backoff: whichever is longer.
          const delayMs = Math.max(backoffDelay(failures), error.detail?.retryAfterMs ?? 0)
          if (failures >= maxAttempts) {
            failures = 0
            coolDown = { until: now() + Math.max(delayMs, backoffDelay(maxAttempts)), error }
            emit({ type: 'gave-up', error })
            throw error
          }
          emit({ type: 'retrying', error, attempt: failures, delayMs })
          if (!isExpired(held, now())) {
            // Still usable: retry in the background, answer now.
            options.retryIn(delayMs)
            return held
          }
          await sleep(delayMs)
        }
      }
    })().finally(() => {
      ensuring = undefined
    })
    return ensuring
  }
}
