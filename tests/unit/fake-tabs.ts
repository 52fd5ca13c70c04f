import type { Timers } from '../../src/core/refresh/token-getter'
// Fakes for what a browser's tabs share: one lock manager.
/** One Web Lock manager for every tab of a test: callbacks run one after another. */
export function fakeLocks() {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
      const run = tail.then(callback)
      tail = run.catch(() => undefined)
      return run
    },
  }
}

/** The global timers, looked up at each call so vitest's fake timers govern them. */
export const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}
