import { describe, expect, it } from 'vitest'
import { createSession } from '../../src/console/session'
import type { Timers } from '../../src/core/tools'
import { consolePage } from './console-page'

describe("the site's providers.json", () => {
  it('that stalls after its headers is cut off, and start-up ends instead of loading for ever', async () => {
    // Timers the test fires by hand: the request timeout is the only one armed meanwhile.
    const armed: { callback: () => void; ms: number; cleared: boolean }[] = []
    const timers: Timers = {
      setTimeout: (callback, ms) => armed.push({ callback, ms, cleared: false }) - 1,
      clearTimeout: (handle) => {
        const timer = armed[handle as number]
        if (timer !== undefined) timer.cleared = true
      },
    }
    const session = createSession(
      consolePage({
        timers,
        online: () => true,
        // Headers at once, then a body that never ends unless the request is aborted.
        fetch: (_input, init) =>
          Promise.resolve(
            new Response(
              new ReadableStream({
                start(controller) {
                  init?.signal?.addEventListener('abort', () => {
                    controller.error(init.signal?.reason)
                  })
                },
              }),
              { headers: { 'content-type': 'application/json' } },
            ),
          ),
      }),
    )
    const started = session.start()
    await expect.poll(() => armed.length, { interval: 5, timeout: 1000 }).toBeGreaterThan(0)
    expect(armed[0]?.ms).toBe(15_000)
    // Still armed once the headers are in: the body is what stalls.
    await Promise.resolve()
    expect(armed[0]?.cleared).toBe(false)
    armed[0]?.callback()
    await started
    expect(session.getState().ready).toBe(true)
  })
})
