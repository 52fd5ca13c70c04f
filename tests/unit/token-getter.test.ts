import { globalTimers } from './fake-tabs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toAppError } from '../../src/core/protocol/errors'
import * as oauth from 'oauth4webapi'
import { refreshTokens } from '../../src/core/protocol/refresh'
import { endpointsFor } from '../../src/core/protocol/server'
import { memoryStore } from '../../src/core/storage/kv'
import {
  readHeldTokens,
  readTokens,
  writeTokens,
  type StoredTokens,
} from '../../src/core/storage/token-store'
import { backoffDelay, needsRefresh, refreshMargin } from '../../src/core/refresh/refresh-policy'
import {
  createTokenGetter,
  type TabMessage,
  type TokenEvent,
} from '../../src/core/refresh/token-getter'
import { fakeLocks } from './fake-tabs'

const T0 = 1_000_000
/** The server fingerprint of the profile the getters are made for. */
const SERVER = 'server-a'

function tokens(
  name: string,
  lifetimeMs: number | undefined,
  receivedAt = Date.now(),
): StoredTokens {
  return {
    access_token: name,
    token_type: 'Bearer',
    refresh_token: `r-${name}`,
    received_at: receivedAt,
    server: SERVER,
    ...(lifetimeMs !== undefined ? { expires_at: receivedAt + lifetimeMs } : {}),
  }
}

function revoked(status = 400) {
  const response = new Response('{}', { status })
  return toAppError(
    new oauth.ResponseBodyError('x', { cause: { error: 'invalid_grant' }, response }),
    'refresh request',
  )
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('refresh policy', () => {
  it('uses a 60 s margin, but at most a quarter of the lifetime', () => {
    expect(refreshMargin(tokens('a', 3600_000, 0))).toBe(60_000)
    expect(refreshMargin(tokens('a', 10_000, 0))).toBe(2_500)
  })
  it('never refreshes ahead without a known expiry', () => {
    expect(needsRefresh(tokens('a', undefined, 0), Number.MAX_SAFE_INTEGER)).toBe(false)
  })
  it('backs off 1, 2, 4, 8, 16, 16 s', () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16_000, 16_000])
  })
})

describe('token getter', () => {
  function setup(
    initial: StoredTokens | undefined,
    refresh: (t: StoredTokens) => Promise<StoredTokens>,
    { locks = true } = {},
  ) {
    const store = memoryStore()
    const events: TokenEvent[] = []
    const sent: TabMessage[] = []
    const refreshSpy = vi.fn(refresh)
    const make = () =>
      createTokenGetter({
        timers: globalTimers,
        profileId: 'p',
        server: SERVER,
        store,
        now: () => Date.now(),
        refresh: refreshSpy,
        ...(locks ? { locks: fakeLocks() } : {}),
        channel: { postMessage: (m) => sent.push(m as TabMessage) },
        onEvent: (e) => events.push(e),
      })
    return {
      store,
      events,
      sent,
      refresh: refreshSpy,
      make,
      ready: initial ? writeTokens(store, 'p', initial) : Promise.resolve(),
    }
  }

  it('returns a valid token from memory without reading storage', async () => {
    const s = setup(tokens('a', 3600_000), () => Promise.reject(new Error('no')))
    await s.ready
    const getter = s.make()
    await getter.load()
    const get = vi.spyOn(s.store, 'get')
    expect(await getter.get()).toBe('a')
    expect(get).not.toHaveBeenCalled()
    expect(s.refresh).not.toHaveBeenCalled()
  })

  it('refreshes a token inside the margin once for many concurrent callers', async () => {
    const s = setup(tokens('a', 30_000), async () => tokens('b', 3600_000))
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 25_000) // inside the margin (a quarter of 30 s)
    const results = await Promise.all(Array.from({ length: 10 }, () => getter.get()))
    expect(new Set(results)).toEqual(new Set(['b']))
    expect(s.refresh).toHaveBeenCalledTimes(1)
    expect((await readTokens(s.store, 'p', SERVER))?.access_token).toBe('b')
    expect(s.sent).toEqual([{ type: 'tokens-updated', profileId: 'p', server: SERVER }])
  })

  it("adopts another tab's refresh found inside the lock instead of refreshing again", async () => {
    const s = setup(tokens('a', 30_000), async () => tokens('never', 1))
    await s.ready
    const getter = s.make()
    await getter.load()
    await writeTokens(s.store, 'p', tokens('from-other-tab', 3600_000, T0 + 29_000))
    vi.setSystemTime(T0 + 29_000)
    expect(await getter.get()).toBe('from-other-tab')
    expect(getter.current()?.access_token).toBe('from-other-tab')
    expect(s.refresh).not.toHaveBeenCalled()
  })

  it('after a 401, adopts the token another tab refreshed meanwhile instead of refreshing again', async () => {
    const s = setup(tokens('a', 3600_000), async () => tokens('never', 1))
    await s.ready
    const getter = s.make()
    await getter.load()
    await writeTokens(s.store, 'p', tokens('from-other-tab', 3600_000))
    expect((await getter.refreshNow('a')).access_token).toBe('from-other-tab')
    expect(getter.current()?.access_token).toBe('from-other-tab')
    expect(s.refresh).not.toHaveBeenCalled()
  })

  it('after a 401 on a token it has already replaced, uses the newer one instead of refreshing', async () => {
    const s = setup(tokens('a', 3600_000), async () => tokens('never', 1))
    await s.ready
    const getter = s.make()
    await getter.load()
    await writeTokens(s.store, 'p', tokens('from-other-tab', 3600_000))
    // This tab already holds the other tab's token when the answer to the old one's 401 arrives.
    await getter.load()
    expect((await getter.refreshNow('a')).access_token).toBe('from-other-tab')
    expect(s.refresh).not.toHaveBeenCalled()
  })

  it('sends one refresh for two at once, even without Web Locks', async () => {
    const s = setup(tokens('a', 3600_000), async () => tokens('b', 3600_000), { locks: false })
    await s.ready
    const getter = s.make()
    await getter.load()
    const [first, second] = await Promise.all([getter.refreshNow(), getter.refreshNow()])
    expect([first.access_token, second.access_token]).toEqual(['b', 'b'])
    expect(s.refresh).toHaveBeenCalledTimes(1)
  })

  it('stores a rotated refresh token in place of the old one', async () => {
    const s = setup(tokens('a', 10_000), async () => ({
      ...tokens('b', 3600_000),
      refresh_token: 'rotated',
      received_at: Date.now(),
    }))
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 20_000)
    await getter.get()
    expect((await readTokens(s.store, 'p', SERVER))?.refresh_token).toBe('rotated')
  })

  it('clears the session and tells every tab when the provider answers 4xx', async () => {
    const s = setup(tokens('a', 10_000), () => Promise.reject(revoked()))
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 20_000)
    await expect(getter.get()).rejects.toMatchObject({ error: 'invalid_grant' })
    expect(await readTokens(s.store, 'p', SERVER)).toBeUndefined()
    expect(s.sent.at(-1)).toMatchObject({
      type: 'signed-out',
      profileId: 'p',
      reason: { code: 'invalid_grant' },
    })
    expect(s.events.at(-1)).toMatchObject({ type: 'signed-out' })
  })

  it('keeps the tokens and retries with backoff after a network error', async () => {
    let calls = 0
    const s = setup(tokens('a', 10_000), async () => {
      calls += 1
      if (calls < 3) throw new TypeError('Failed to fetch')
      return tokens('b', 3600_000)
    })
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 20_000) // expired: the caller has to wait for the retry
    const result = getter.get()
    await vi.advanceTimersByTimeAsync(1000)
    expect((await readTokens(s.store, 'p', SERVER))?.access_token).toBe('a')
    await vi.advanceTimersByTimeAsync(2000)
    expect(await result).toBe('b')
    expect(calls).toBe(3)
    expect(s.events.flatMap((e) => (e.type === 'retrying' ? [e.delayMs] : []))).toEqual([
      1000, 2000,
    ])
    expect(s.events.at(-1)).toEqual({ type: 'recovered' })
  })

  it('answers with a still-valid token when a refresh inside the margin fails transiently', async () => {
    const s = setup(tokens('a', 40_000), () => Promise.reject(new TypeError('Failed to fetch')))
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 35_000)
    expect(await getter.get()).toBe('a')
  })

  it('refreshes ahead with its timer, and not without an expiry', async () => {
    const s = setup(tokens('a', 40_000), async () => tokens('b', 3600_000))
    await s.ready
    const getter = s.make()
    await getter.load()
    await vi.advanceTimersByTimeAsync(30_100)
    expect(s.refresh).toHaveBeenCalledTimes(1)
    expect(getter.current()?.access_token).toBe('b')

    const t = setup(tokens('x', undefined), async () => tokens('y', 1))
    await t.ready
    const other = t.make()
    await other.load()
    await vi.advanceTimersByTimeAsync(10 * 3600_000)
    expect(t.refresh).not.toHaveBeenCalled()
    expect(await other.get()).toBe('x')
  })

  it('follows other tabs: new tokens and sign-out', async () => {
    const s = setup(tokens('a', 3600_000), async () => tokens('b', 1))
    await s.ready
    const getter = s.make()
    await getter.load()
    await writeTokens(s.store, 'p', tokens('c', 3600_000))
    await getter.receive({ type: 'tokens-updated', profileId: 'p', server: SERVER })
    expect(await getter.get()).toBe('c')
    await getter.receive({ type: 'signed-out', profileId: 'other', server: SERVER })
    expect(getter.current()?.access_token).toBe('c')
    await getter.receive({ type: 'signed-out', profileId: 'p', server: SERVER })
    expect(getter.current()).toBeUndefined()
  })

  it('forgets tokens another server issued under the same profile id, and never sends them', async () => {
    const s = setup({ ...tokens('old-server', 3600_000), server: 'server-b' }, () =>
      Promise.reject(new Error('must not refresh another server’s token')),
    )
    await s.ready
    const getter = s.make()
    // A tab whose profiles may be old leaves them in place (they may be another tab's new login)...
    expect(await getter.load()).toBeUndefined()
    expect((await readHeldTokens(s.store, 'p'))?.access_token).toBe('old-server')
    expect(s.events).toEqual([])
    // ...one that just read its profiles forgets them.
    expect(await getter.load({ forgetForeign: true })).toBeUndefined()
    expect(await readHeldTokens(s.store, 'p')).toBeUndefined()
    expect(s.events).toMatchObject([{ type: 'signed-out', reason: { code: 'server_changed' } }])
    await expect(getter.get()).rejects.toMatchObject({ code: 'not_signed_in' })
    expect(s.refresh).not.toHaveBeenCalled()
  })

  it('forgets tokens stored before tokens carried a server fingerprint', async () => {
    const legacy: StoredTokens = { ...tokens('legacy', 3600_000) }
    delete legacy.server
    const s = setup(legacy, () => Promise.reject(new Error('no')))
    await s.ready
    expect(await s.make().load({ forgetForeign: true })).toBeUndefined()
    expect(s.events).toMatchObject([{ type: 'signed-out', reason: { code: 'server_changed' } }])
  })

  it("ignores another tab's tokens for another version of the profile, and leaves them in place", async () => {
    const s = setup(tokens('a', 3600_000), async () => tokens('b', 3600_000))
    await s.ready
    const getter = s.make()
    await getter.load()
    // Tab 1 re-pointed the profile and logged in at the new server.
    const theirs = { ...tokens('new-server', 3600_000), server: 'server-b' }
    await writeTokens(s.store, 'p', theirs)
    await getter.receive({ type: 'tokens-updated', profileId: 'p', server: 'server-b' })
    expect(getter.current()?.access_token).toBe('a')
    await getter.receive({ type: 'tokens-updated', profileId: 'p', server: SERVER })
    expect(getter.current()).toBeUndefined()
    // Its Refresh now and Log out never touch the other server's tokens.
    await expect(getter.refreshNow('a')).rejects.toMatchObject({ code: 'not_signed_in' })
    expect(s.refresh).not.toHaveBeenCalled()
    await getter.signOut()
    expect(await readHeldTokens(s.store, 'p')).toEqual(theirs)
    await getter.receive({ type: 'signed-out', profileId: 'p', server: 'server-b' })
    expect(s.sent.at(-1)).toEqual({ type: 'signed-out', profileId: 'p', server: SERVER })
  })

  it('refuses to store tokens stamped by another server (the profile moved during the exchange)', async () => {
    const s = setup(undefined, () => Promise.reject(new Error('no')))
    const getter = s.make()
    await expect(
      getter.set({ ...tokens('from-x', 3600_000), server: 'server-b' }),
    ).rejects.toMatchObject({ code: 'profile_changed' })
    expect(await readHeldTokens(s.store, 'p')).toBeUndefined()
    expect(s.sent).toEqual([])
  })

  it('stamps stored tokens with the server they were issued by', async () => {
    const s = setup(undefined, () => Promise.reject(new Error('no')))
    const getter = s.make()
    const issued: StoredTokens = { ...tokens('fresh', 3600_000) }
    delete issued.server
    await getter.set(issued)
    expect((await readHeldTokens(s.store, 'p'))?.server).toBe(SERVER)
  })

  it('without a refresh token, keeps using the token and never signs out on its own', async () => {
    const noRefresh = { ...tokens('a', 10_000), refresh_token: undefined }
    delete noRefresh.refresh_token
    const s = setup(noRefresh, (t) =>
      refreshTokens(
        { id: 'p', name: 'p', client_id: 'c', scope: '', pkce: true },
        endpointsFor({
          id: 'p',
          name: 'p',
          client_id: 'c',
          scope: '',
          pkce: true,
          authorization_endpoint: 'https://a.test/a',
          token_endpoint: 'https://a.test/t',
        }),
        t,
        { now: () => Date.now(), fetch: (...args) => fetch(...args) },
      ),
    )
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 20_000)
    expect(await getter.get()).toBe('a')
    const failure = await getter.refreshNow().catch((e: unknown) => e)
    expect(failure).toHaveProperty('code', 'no_refresh_token')
    expect((await readTokens(s.store, 'p', SERVER))?.access_token).toBe('a')
    expect(s.events.some((e) => e.type === 'signed-out')).toBe(false)
  })

  for (const locks of [true, false]) {
    it(`signs out after a refresh in flight, so it cannot write the tokens back, and returns the rotated ones (${locks ? 'Web Locks' : 'no Web Locks'})`, async () => {
      let finish: (t: StoredTokens) => void = () => undefined
      const s = setup(
        tokens('a', 10_000),
        () => new Promise<StoredTokens>((resolve) => (finish = resolve)),
        { locks },
      )
      await s.ready
      const getter = s.make()
      await getter.load()
      vi.setSystemTime(T0 + 20_000)
      const call = getter.get()
      await vi.waitFor(() => {
        expect(s.refresh).toHaveBeenCalled()
      })
      const out = getter.signOut()
      finish(tokens('rotated', 3600_000))
      await call
      expect((await out)?.access_token).toBe('rotated')
      expect(await readTokens(s.store, 'p', SERVER)).toBeUndefined()
      expect(s.sent.at(-1)).toEqual({ type: 'signed-out', profileId: 'p', server: SERVER })
    })
  }

  it("waits as long as a rate-limited provider's Retry-After says, not the shorter backoff", async () => {
    const limited = () => {
      const response = new Response('{}', { status: 429, headers: { 'retry-after': '10' } })
      return toAppError(
        new oauth.ResponseBodyError('x', { cause: { error: 'too_many_requests' }, response }),
        'refresh request',
      )
    }
    let calls = 0
    const s = setup(tokens('a', 10_000), async () => {
      calls += 1
      if (calls === 1) throw limited()
      return tokens('b', 3600_000)
    })
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 20_000)
    const result = getter.get()
    await vi.advanceTimersByTimeAsync(9_000)
    expect(calls).toBe(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await result).toBe('b')
    expect(s.events.flatMap((e) => (e.type === 'retrying' ? [e.delayMs] : []))).toEqual([10_000])
  })

  it('sends no refresh for a while after giving up: a caller meanwhile gets the last error', async () => {
    const s = setup(tokens('a', 10_000), () => Promise.reject(new TypeError('Failed to fetch')))
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 20_000)
    const first = getter.get().catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000)
    expect(await first).toMatchObject({ code: 'cors_blocked' })
    expect(s.events.at(-1)).toMatchObject({ type: 'gave-up' })
    const sent = s.refresh.mock.calls.length
    const second = getter.get().catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(0)
    expect(s.refresh).toHaveBeenCalledTimes(sent)
    expect(await second).toMatchObject({ code: 'cors_blocked' })
    // Once the cool-down is over, a caller asks the provider again.
    await vi.advanceTimersByTimeAsync(16_000)
    void getter.get().catch(() => undefined)
    await vi.waitFor(() => {
      expect(s.refresh.mock.calls.length).toBeGreaterThan(sent)
    })
  })

  it('backs off further with each failed background retry while the token is still valid', async () => {
    const s = setup(tokens('a', 40_000), () => Promise.reject(new TypeError('Failed to fetch')))
    await s.ready
    const getter = s.make()
    await getter.load()
    vi.setSystemTime(T0 + 35_000)
    expect(await getter.get()).toBe('a')
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 50)
    const delays = s.events.flatMap((e) => (e.type === 'retrying' ? [e.delayMs] : []))
    expect(delays).toEqual([1000, 2000, 4000])
  })

  it('a disposed getter reports nothing', async () => {
    const s = setup(tokens('a', 40_000), async () => tokens('b', 3600_000))
    await s.ready
    const getter = s.make()
    await getter.load()
    getter.dispose()
    await writeTokens(s.store, 'p', tokens('c', 3600_000))
    await getter.receive({ type: 'tokens-updated', profileId: 'p', server: SERVER })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(s.events).toEqual([])
    expect(s.refresh).not.toHaveBeenCalled()
  })

  it('a disposed getter stops its background retries, even one a failure in flight would set', async () => {
    const failLater = () =>
      new Promise<StoredTokens>((_resolve, reject) =>
        setTimeout(() => {
          reject(new TypeError('Failed to fetch'))
        }, 100),
      )
    for (const disposeAt of ['after the failure', 'during the attempt']) {
      vi.setSystemTime(T0)
      const s = setup(tokens('a', 40_000), failLater)
      await s.ready
      const getter = s.make()
      await getter.load()
      vi.setSystemTime(T0 + 35_000)
      const call = getter.get()
      if (disposeAt === 'during the attempt') getter.dispose()
      await vi.advanceTimersByTimeAsync(100)
      expect(await call).toBe('a')
      if (disposeAt === 'after the failure') getter.dispose()
      await vi.advanceTimersByTimeAsync(60_000)
      expect(s.refresh, disposeAt).toHaveBeenCalledTimes(1)
    }
  })
})
