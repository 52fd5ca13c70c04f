import type { Timers } from '../core/tools'

/**
 * How long the start page's own request (`providers.json`) may take, body included: the core's
 * `REQUEST_TIMEOUT_MS`. Not imported from core/protocol/server.ts, whose module brings oauth4webapi
 * into the start page.
 */
export const CATALOG_TIMEOUT_MS = 15_000

/** The page's own timers, looked up at each call (so test clocks govern them). */
const pageTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}

/**
 * A fetch whose requests abort `ms` after the first one starts, until `settle()` (once the work
 * that reads the answers is done). Covers the body too: a `providers.json` that stalls after its
 * headers must not keep the page at "Loading…".
 */
export function abortAfter(
  fetchImpl: typeof fetch,
  ms: number,
  timers: Timers = pageTimers,
): { fetch: typeof fetch; settle(): void } {
  const controller = new AbortController()
  let timer: unknown
  return {
    fetch: (input, init) => {
      timer ??= timers.setTimeout(() => {
        controller.abort(
          new DOMException(`no answer within ${String(ms / 1000)} s`, 'TimeoutError'),
        )
      }, ms)
      const signal = init?.signal
        ? AbortSignal.any([init.signal, controller.signal])
        : controller.signal
      return fetchImpl(input, { ...init, signal })
    },
    settle: () => {
      if (timer !== undefined) timers.clearTimeout(timer)
    },
  }
}
