import { describe, expect, it } from 'vitest'
import { withTimeout } from '../../src/core/timeout'
import type { Timers } from '../../src/core/refresh/token-getter'

/** Timers the test fires by hand, and counts. */
function manualTimers() {
  const pending = new Map<number, () => void>()
  let seq = 0
  const timers: Timers = {
    setTimeout: (callback) => {
      pending.set(++seq, callback)
      return seq
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number)
    },
  }
  const fireAll = () => {
    for (const [id, callback] of [...pending]) {
      pending.delete(id)
      callback()
    }
  }
  return { timers, pending, fireAll }
}

/** A fetch whose answer's headers arrive at once and whose body waits for the signal. */
const stallingFetch: typeof fetch = (_input, init) => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"access_token":'))
      init?.signal?.addEventListener('abort', () => {
        controller.error(init.signal?.reason)
      })
    },
  })
  return Promise.resolve(new Response(body, { headers: { 'content-type': 'application/json' } }))
}

describe('withTimeout', () => {
  it('cuts off a body that stalls after the headers, with a TimeoutError', async () => {
    const { timers, fireAll } = manualTimers()
    const response = await withTimeout(stallingFetch, 15_000, timers)('https://as.test/token')
    const reading = response.json()
    fireAll()
    await expect(reading).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('clears its timer once the body is read, and at once for an answer without one', async () => {
    const { timers, pending } = manualTimers()
    const answer = () => Promise.resolve(new Response('{"ok":true}'))
    const response = await withTimeout(answer, 15_000, timers)('https://as.test/')
    expect(pending.size).toBe(1)
    await expect(response.json()).resolves.toEqual({ ok: true })
    expect(pending.size).toBe(0)
    const empty = () => Promise.resolve(new Response(null, { status: 204 }))
    await withTimeout(empty, 15_000, timers)('https://as.test/')
    expect(pending.size).toBe(0)
  })

  it('clears its timer when the request fails', async () => {
    const { timers, pending } = manualTimers()
    const down = () => Promise.reject(new TypeError('Failed to fetch'))
    await expect(withTimeout(down, 15_000, timers)('https://as.test/')).rejects.toThrow(TypeError)
    expect(pending.size).toBe(0)
  })
})
