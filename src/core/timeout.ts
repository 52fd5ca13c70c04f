import type { Timers } from './refresh/token-getter'

/** How long a request to the provider may take before it is aborted, body included. */
export const REQUEST_TIMEOUT_MS = 15_000

/** The ways a Response's body is read. */
const BODY_READERS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const

/**
 * Adds an abort after `ms` to every request, on the environment's timers. The time covers the
 * body too (a server that sends headers and then stalls is cut off); the timer is cleared once
 * the body has been read, or at once when there is none.
 */
export function withTimeout(fetchImpl: typeof fetch, ms: number, timers: Timers): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController()
    const timer = timers.setTimeout(() => {
      controller.abort(new DOMException(`no answer within ${String(ms / 1000)} s`, 'TimeoutError'))
    }, ms)
    const clear = () => {
      timers.clearTimeout(timer)
    }
    const signal = init?.signal
      ? AbortSignal.any([init.signal, controller.signal])
      : controller.signal
    let response: Response
    try {
      response = await fetchImpl(input, { ...init, signal })
    } catch (cause) {
      clear()
      throw cause
    }
    if (response.body === null) {
      clear()
      return response
    }
    // The timer stays until the body is read: the signal aborts a body that stalls. The reads are
    // wrapped on this object rather than the body re-streamed, because a re-streamed Response
    // turns that abort into a bare "Failed to fetch" and the timeout could no longer be told.
    for (const method of BODY_READERS) {
      // `bytes()` is recent: a browser without it has nothing to wrap.
      if (!(method in response)) continue
      const read = response[method].bind(response) as () => Promise<unknown>
      Object.defineProperty(response, method, {
        value: () => read().finally(clear),
      })
    }
    return response
  }
}
