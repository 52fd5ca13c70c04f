import type { StoredTokens } from '../storage/token-store'
import { needsRefresh, nextCheckDelay } from './refresh-policy'

/** Timers, injectable for tests with fake timers. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** The one timer of a token getter: proactive refresh checks, or a retry after a failure. */
export interface RefreshTimer {
  /** Sets the proactive timer for the tokens held now (none without tokens, expiry or refresh token). */
  arm(): void
  /** Replaces the timer with a retry in `ms` (the proactive one would fire too late, or never). */
  retryIn(ms: number): void
  /** Stops the timer for good: a stopped timer is never set again. */
  stop(): void
}

/**
 * The refresh timer. It polls (at most every `POLL_INTERVAL_MS`) and calls `onDue` once the
 * clock says the held token is due, so a device waking from sleep refreshes within one poll.
 */
export function createRefreshTimer(options: {
  timers: Timers
  now: () => number
  marginMs?: number | undefined
  /** The tokens held in memory now. */
  held: () => StoredTokens | undefined
  onDue: () => void
}): RefreshTimer {
  const { timers, now, marginMs, held, onDue } = options
  let handle: unknown
  let stopped = false
  const clear = () => {
    if (handle !== undefined) timers.clearTimeout(handle)
    handle = undefined
  }
  const arm = () => {
    clear()
    const tokens = held()
    const delay = tokens && !stopped ? nextCheckDelay(tokens, now(), marginMs) : undefined
    if (delay === undefined) return
    // A little late rather than early: a timer firing before the margin would find nothing to do.
    handle = timers.setTimeout(() => {
      handle = undefined
      const current = held()
      if (current !== undefined && needsRefresh(current, now(), marginMs)) onDue()
      else arm()
    }, delay + 25)
  }
  return {
    arm,
    retryIn(ms) {
      if (stopped) return
      clear()
      handle = timers.setTimeout(() => {
        handle = undefined
        onDue()
      }, ms)
    },
    stop() {
      stopped = true
      clear()
    },
  }
}
