import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError, createAuthClient } from '../../src/core'
import type { TabChannel } from '../../src/core/environment'
import type { TabMessage } from '../../src/core/refresh/token-getter'
import { memoryStore, type KeyValueStore } from '../../src/core/storage/kv'
import { json } from './fake-fetch'
import { APP, ISSUER, testPage, testProfile } from './test-page'
import { fakeLocks } from './fake-tabs'

const profile = {
  ...testProfile,
  requests: [{ name: 'me', method: 'GET', url: `${ISSUER}/api/me` }],
}

/** A small authorization server: code exchange, rotating refresh, revocation and an API. */
function fakeProvider() {
  const log: { path: string; form: URLSearchParams; authorization: string | null }[] = []
  let issued = 0
  const state = {
    lifetime: 3600,
    /** How the API answers a token: 200, or a 401 with this challenge. */
    api: (authorization: string): Response => json({ ok: true, authorization }),
  }
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const form = new URLSearchParams(request.method === 'POST' ? await request.text() : '')
    log.push({ path: url.pathname, form, authorization: request.headers.get('authorization') })
    if (url.pathname === '/token') {
      issued += 1
      return json({
        access_token: `at-${String(issued)}`,
        refresh_token: `rt-${String(issued)}`,
        token_type: 'Bearer',
        expires_in: state.lifetime,
      })
    }
    if (url.pathname === '/revoke') return new Response(null, { status: 200 })
    if (url.pathname === '/api/me') return state.api(request.headers.get('authorization') ?? '')
    throw new TypeError('Failed to fetch')
  }
  return {
    fetch: fetchImpl,
    state,
    log,
    count: (path: string, grant?: string) =>
      log.filter(
        (r) => r.path === path && (grant === undefined || r.form.get('grant_type') === grant),
      ).length,
  }
}

/** A BroadcastChannel between the tabs of one test. */
function channelHub() {
  const listeners = new Map<number, (message: TabMessage) => void>()
  let tabs = 0
  return (): TabChannel => {
    const tab = ++tabs
    return {
      postMessage: (message) => {
        for (const [other, listener] of listeners)
          if (other !== tab) queueMicrotask(() => listener(structuredClone(message) as TabMessage))
      },
      subscribe: (listener) => void listeners.set(tab, listener),
      close: () => void listeners.delete(tab),
    }
  }
}

interface Browser {
  store: KeyValueStore
  provider: ReturnType<typeof fakeProvider>
  locks?: ReturnType<typeof fakeLocks>
  channel?: () => TabChannel
}

/** One tab of a browser: its own address bar and sessionStorage, the browser's store and channel. */
function tab(browser: Browser, at = APP) {
  const page = testPage({
    fetch: browser.provider.fetch,
    store: browser.store,
    at,
    ...(browser.locks ? { locks: browser.locks } : {}),
    ...(browser.channel ? { channel: browser.channel } : {}),
  })
  return {
    ...page,
    client: (p: unknown = profile) => createAuthClient(p, { environment: page.environment }),
  }
}

function newBrowser(withLocks = true): Browser {
  return {
    store: memoryStore(),
    provider: fakeProvider(),
    ...(withLocks ? { locks: fakeLocks() } : {}),
    channel: channelHub(),
  }
}

/** Logs in through the fake provider: login, then the provider's redirect back with a code. */
async function signIn(t: ReturnType<typeof tab>) {
  const client = t.client()
  await client.handleCallback()
  const url = await client.login({ navigate: false })
  t.open(`${APP}?code=c0de&state=${url.searchParams.get('state') ?? ''}&iss=${ISSUER}`)
  await client.handleCallback()
  return client
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('createAuthClient', () => {
  it('refuses an invalid profile, naming each field', () => {
    expect(() =>
      createAuthClient(
        { id: 'x', token_endpoint: 'javascript:1' },
        { environment: tab(newBrowser()).environment },
      ),
    ).toThrow(AuthError)
    try {
      createAuthClient({ id: 'x' }, { environment: tab(newBrowser()).environment })
    } catch (error) {
      expect((error as AuthError).code).toBe('invalid_profile')
      expect((error as AuthError).message).toContain('client_id')
    }
  })

  it('logs in with PKCE, completes the callback, cleans the address bar and stores the tokens', async () => {
    const browser = newBrowser()
    const t = tab(browser)
    const client = t.client()
    const seen: string[] = []
    client.on('tokens', (tokens) => seen.push(tokens.access_token))
    expect(await client.handleCallback()).toBeUndefined()
    await client.login()
    const authorize = new URL(t.navigated[0] ?? '')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    // With the extras Google appends, which do not belong in a bookmark either.
    t.open(
      `${APP}?code=c0de&state=${authorize.searchParams.get('state') ?? ''}&iss=${ISSUER}&scope=openid&authuser=0`,
    )
    const tokens = await client.handleCallback()
    expect(tokens?.access_token).toBe('at-1')
    expect(t.href()).toBe(APP)
    expect(client.tokens()?.refresh_token).toBe('rt-1')
    expect(seen).toEqual(['at-1'])
    const exchange = browser.provider.log.find((r) => r.path === '/token')
    expect(exchange?.form.get('code_verifier')).toMatch(/^[\w-]{43,}$/)
  })

  it("leaves another client's callback alone, and reports one that no login of this tab awaits", async () => {
    const t = tab(newBrowser())
    const other = createAuthClient({ ...profile, id: 'other' }, { environment: t.environment })
    const url = await other.login({ navigate: false })
    t.open(`${APP}?code=c&state=${url.searchParams.get('state') ?? ''}`)
    expect(await t.client().handleCallback()).toBeUndefined()
    expect(t.href()).toContain('code=c')

    const fresh = tab(newBrowser(), `${APP}?code=c&state=unknown`)
    await expect(fresh.client().handleCallback()).rejects.toMatchObject({
      code: 'no_pending_login',
    })
  })

  it('rejects getToken without a session with not_signed_in', async () => {
    const client = tab(newBrowser()).client()
    await client.handleCallback()
    await expect(client.getToken()).rejects.toMatchObject({
      name: 'AuthError',
      code: 'not_signed_in',
    })
  })
})

describe.each([
  ['with Web Locks', true],
  ['without Web Locks', false],
])('refresh across tabs (%s)', (_label, withLocks) => {
  it('refreshes once for five tabs', async () => {
    const browser = newBrowser(withLocks)
    browser.provider.state.lifetime = 120
    await signIn(tab(browser))
    const tabs = Array.from({ length: withLocks ? 5 : 1 }, () => tab(browser).client())
    for (const client of tabs) await client.handleCallback()
    vi.setSystemTime(Date.now() + 100_000) // inside the 30 s margin of a 120 s token
    const tokens = await Promise.all(
      tabs.flatMap((client) => [client.getToken(), client.getToken()]),
    )
    expect(new Set(tokens)).toEqual(new Set(['at-2']))
    expect(browser.provider.count('/token', 'refresh_token')).toBe(1)
    expect(browser.provider.log.at(-1)?.form.get('refresh_token')).toBe('rt-1')
  })
})

describe('a device that slept', () => {
  // vi.setSystemTime moves the clock without firing timers: what a laptop waking up sees.
  it('refreshes within one poll once the clock says the token is due', async () => {
    const browser = newBrowser()
    await signIn(tab(browser))
    vi.setSystemTime(Date.now() + 3_590_000) // 10 s before expiry, well inside the margin
    expect(browser.provider.count('/token', 'refresh_token')).toBe(0)
    await vi.advanceTimersByTimeAsync(5_100)
    expect(browser.provider.count('/token', 'refresh_token')).toBe(1)
  })

  it('refreshes at once when the page is shown again', async () => {
    const browser = newBrowser()
    const t = tab(browser)
    const shown = new Set<() => void>()
    t.environment.onVisible = (listener) => {
      shown.add(listener)
      return () => shown.delete(listener)
    }
    await signIn(t)
    vi.setSystemTime(Date.now() + 3_590_000)
    for (const listener of shown) listener()
    await vi.waitFor(() => {
      expect(browser.provider.count('/token', 'refresh_token')).toBe(1)
    })
  })
})

describe('fetch', () => {
  const refused = (challenge?: string) =>
    new Response('{}', { status: 401, headers: challenge ? { 'www-authenticate': challenge } : {} })

  it.each([
    ['a 401 invalid_token: one refresh, one retry', 'Bearer error="invalid_token"', 1, 1, 200],
    [
      'a 401 insufficient_scope: no refresh, no retry',
      'Bearer error="insufficient_scope"',
      0,
      0,
      401,
    ],
  ])('answers %s', async (_label, challenge, refreshes, retries, status) => {
    const browser = newBrowser()
    const client = await signIn(tab(browser))
    browser.provider.state.api = (authorization) =>
      authorization === 'Bearer at-1' || challenge.includes('insufficient')
        ? refused(challenge)
        : json({ ok: true })
    const response = await client.fetch(`${ISSUER}/api/me`)
    expect(response.status).toBe(status)
    expect(browser.provider.count('/token', 'refresh_token')).toBe(refreshes)
    expect(browser.provider.count('/api/me')).toBe(1 + retries)
  })

  it('neither refreshes nor sends the token again for a 401 from where a redirect led elsewhere', async () => {
    /** What fetch resolves with after following a redirect to `url`. */
    const redirectedTo = (url: string) => {
      const response = refused('Bearer error="invalid_token"')
      Object.defineProperties(response, { redirected: { value: true }, url: { value: url } })
      return response
    }
    const browser = newBrowser()
    const client = await signIn(tab(browser))
    browser.provider.state.api = () => redirectedTo('https://login.elsewhere.test/sso')
    expect((await client.fetch(`${ISSUER}/api/me`)).status).toBe(401)
    expect(browser.provider.count('/token', 'refresh_token')).toBe(0)
    expect(browser.provider.count('/api/me')).toBe(1)
    // Led to an origin the profile names, the 401 is the API's own: one refresh, one retry.
    browser.provider.state.api = () => redirectedTo(`${ISSUER}/api/v2/me`)
    await client.fetch(`${ISSUER}/api/me`)
    expect(browser.provider.count('/token', 'refresh_token')).toBe(1)
    expect(browser.provider.count('/api/me')).toBe(3)
  })

  it('refreshes for a 401 from a redirect within the origin the app allowed the token to', async () => {
    const browser = newBrowser()
    const t = tab(browser)
    await signIn(t)
    const allowed = createAuthClient(profile, {
      environment: t.environment,
      onUnknownOrigin: () => true,
    })
    browser.provider.state.api = () => {
      const response = refused('Bearer error="invalid_token"')
      Object.defineProperties(response, {
        redirected: { value: true },
        url: { value: 'https://elsewhere.test/api/v2/me' },
      })
      return response
    }
    await allowed.fetch('https://elsewhere.test/api/me')
    expect(browser.provider.count('/token', 'refresh_token')).toBe(1)
    allowed.dispose()
  })

  it('retries exactly once when every answer is 401', async () => {
    const browser = newBrowser()
    const client = await signIn(tab(browser))
    browser.provider.state.api = () => refused()
    expect((await client.fetch(`${ISSUER}/api/me`)).status).toBe(401)
    expect(browser.provider.count('/api/me')).toBe(2)
    expect(browser.provider.count('/token', 'refresh_token')).toBe(1)
  })

  it('never sends the token to an origin the profile does not name, unless allowed', async () => {
    const browser = newBrowser()
    const t = tab(browser)
    await signIn(t)
    await expect(t.client().fetch('https://elsewhere.test/x')).rejects.toMatchObject({
      code: 'token_destination',
    })
    expect(browser.provider.log.some((r) => r.path === '/x')).toBe(false)
    const allowed = createAuthClient(profile, {
      environment: t.environment,
      onUnknownOrigin: () => true,
    })
    await allowed.handleCallback()
    await expect(allowed.fetch('https://elsewhere.test/x')).rejects.toMatchObject({
      code: 'internal_error',
    })
    expect(browser.provider.log.at(-1)?.authorization).toBe('Bearer at-1')
  })

  it('says where it sends the token by the check fetch makes, without asking onUnknownOrigin', async () => {
    const browser = newBrowser()
    const t = tab(browser)
    await signIn(t)
    const asked = vi.fn(() => true)
    const client = createAuthClient(profile, { environment: t.environment, onUnknownOrigin: asked })
    expect(await client.sendsTokenTo(`${ISSUER}/api/me`)).toBe(true)
    expect(await client.sendsTokenTo(new URL('https://id.test/other'))).toBe(true)
    expect(await client.sendsTokenTo('https://elsewhere.test/x')).toBe(false)
    expect(await t.client().sendsTokenTo('https://id.test.elsewhere.test/')).toBe(false)
    expect(asked).not.toHaveBeenCalled()
  })
})

describe('logout', () => {
  it('forgets the tokens in every tab, revokes them, and tells the other tabs', async () => {
    const browser = newBrowser()
    const first = await signIn(tab(browser))
    const second = tab(browser).client()
    await second.handleCallback()
    const ended = vi.fn()
    second.on('signed-out', ended)
    await first.logout()
    await vi.waitFor(() => expect(ended).toHaveBeenCalledWith({ reason: undefined }))
    expect(second.tokens()).toBeUndefined()
    expect(
      browser.provider.log.filter((r) => r.path === '/revoke').map((r) => r.form.get('token')),
    ).toEqual(['rt-1', 'at-1'])
  })

  it('emits masked request records', async () => {
    const browser = newBrowser()
    const t = tab(browser)
    const client = t.client()
    const bodies: string[] = []
    client.on('request', (record) => bodies.push(record.requestBody ?? ''))
    await client.handleCallback()
    const url = await client.login({ navigate: false })
    t.open(`${APP}?code=c0de&state=${url.searchParams.get('state') ?? ''}&iss=${ISSUER}`)
    await client.handleCallback()
    expect(bodies.join('\n')).not.toContain('c0de')
    expect(bodies.join('\n')).toContain('grant_type=authorization_code')
  })
})
