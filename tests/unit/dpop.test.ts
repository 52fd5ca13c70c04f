import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose'
import { createStore, keys } from 'idb-keyval'
import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core'
import { startAuthorization } from '../../src/core/protocol/authorize'
import { generateDpopKey, savePendingKey, takePendingKey } from '../../src/core/protocol/dpop'
import { TRANSIENT_TTL_MS } from '../../src/core/protocol/transient'
import { endpointsFor } from '../../src/core/protocol/server'
import { indexedDbStore, memoryStore } from '../../src/core/storage/kv'
import { validateProfile } from '../../src/core/profile/validate'
import type { StoredTokens } from '../../src/core/storage/token-store'
import { json, memoryStorage } from './fake-fetch'
import { APP, callbackFor, ISSUER, testPage, testProfile } from './test-page'

const API = 'https://api.test/me'
const profile = {
  ...testProfile,
  dpop: true,
  requests: [{ name: 'me', method: 'GET', url: API }],
}

interface Sent {
  path: string
  form: URLSearchParams
  authorization: string | null
  proof: { nonce?: unknown; htm?: unknown; htu?: unknown; ath?: unknown; jkt: string } | undefined
}

const sha256 = async (text: string) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))).toString(
    'base64url',
  )

/**
 * A provider and resource server that demand DPoP with nonces: the token endpoint's nonce is
 * `as-1`, the API's `rs-1`; a proof without the right one is answered `use_dpop_nonce` (RFC 9449 §8,
 * §9). The proofs are decoded and their key thumbprints taken, so tests see which key signed.
 */
function dpopServer() {
  const log: Sent[] = []
  let issued = 0
  const state = {
    tokenType: 'DPoP',
    /** How the token endpoint answers a refresh after the nonce check (default: new tokens). */
    refresh: undefined as (() => Response) | undefined,
    /** API answers after the nonce check; default 200. */
    api: undefined as ((sent: Sent) => Response | undefined) | undefined,
    apiNonce: 'rs-1',
  }
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const form = new URLSearchParams(request.method === 'POST' ? await request.text() : '')
    const dpop = request.headers.get('dpop')
    const proof: Sent['proof'] =
      dpop === null
        ? undefined
        : {
            ...(decodeJwt(dpop) as Record<string, unknown>),
            jkt: await calculateJwkThumbprint(decodeProtectedHeader(dpop).jwk as JWK),
          }
    const sent = {
      path: url.pathname,
      form,
      authorization: request.headers.get('authorization'),
      proof,
    }
    log.push(sent)
    if (url.pathname === '/token' || url.pathname === '/par') {
      if (proof !== undefined && proof.nonce !== 'as-1') {
        return json({ error: 'use_dpop_nonce' }, 400, { 'dpop-nonce': 'as-1' })
      }
      if (url.pathname === '/par') return json({ request_uri: 'urn:par:1', expires_in: 60 }, 201)
      if (form.get('grant_type') === 'refresh_token' && state.refresh) return state.refresh()
      issued += 1
      return json({
        access_token: `at-${String(issued)}`,
        refresh_token: `rt-${String(issued)}`,
        token_type: state.tokenType,
        expires_in: 3600,
      })
    }
    if (url.pathname === '/revoke') return new Response(null, { status: 200 })
    if (request.url === API) {
      if (proof?.nonce !== state.apiNonce) {
        return json({ error: 'use_dpop_nonce' }, 401, {
          'www-authenticate': 'DPoP error="use_dpop_nonce"',
          'dpop-nonce': state.apiNonce,
        })
      }
      return state.api?.(sent) ?? json({ ok: true })
    }
    throw new TypeError('Failed to fetch')
  }
  return { fetch: fetchImpl, log, state, at: (path: string) => log.filter((s) => s.path === path) }
}

let databases = 0

function setup(p: unknown = profile) {
  const server = dpopServer()
  const store = indexedDbStore(`dpop-test-${String(++databases)}`)
  const page = testPage({ fetch: server.fetch, store })
  const client = createAuthClient(p, { environment: page.environment })
  const signIn = async () => {
    await client.handleCallback()
    const url = await client.login({ navigate: false })
    page.open(callbackFor(url))
    return client.handleCallback()
  }
  const stored = async () => (await store.get('tokens:idp')) as StoredTokens | undefined
  return { server, store, client, signIn, stored }
}

describe('the DPoP key', () => {
  it('is an ES256 pair whose private key cannot be exported, named by its RFC 7638 thumbprint', async () => {
    const { keyPair, jkt } = await generateDpopKey()
    expect(keyPair.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('jwk', keyPair.privateKey)).rejects.toThrow()
    const publicJwk = await crypto.subtle.exportKey('jwk', keyPair.publicKey)
    expect(jkt).toBe(await calculateJwkThumbprint(publicJwk as JWK))
  })

  it('is made at login, proves the code exchange, is stored with the tokens and kept by refresh', async () => {
    const { server, client, signIn, stored, store } = setup()
    const tokens = await signIn()
    const held = await stored()
    expect(tokens?.token_type).toBe('DPoP')
    expect(tokens?.dpop_jkt).toBe(held?.dpop?.jkt)
    expect(held?.dpop?.keyPair.privateKey.extractable).toBe(false)
    // The login's key waited in the store for its callback only.
    expect(await store.get('dpop-login:idp')).toBeUndefined()
    const exchanges = server.at('/token')
    expect(exchanges.map((s) => s.proof?.nonce)).toEqual([undefined, 'as-1'])
    expect(exchanges.every((s) => s.proof?.jkt === held?.dpop?.jkt)).toBe(true)
    expect(
      exchanges.every((s) => s.proof?.htm === 'POST' && s.proof.htu === `${ISSUER}/token`),
    ).toBe(true)

    await client.refresh()
    const refreshes = server.at('/token').slice(2)
    // The nonce learnt at the exchange goes with the refresh: no second challenge.
    expect(refreshes.map((s) => s.proof?.nonce)).toEqual(['as-1'])
    expect(refreshes[0]?.proof?.jkt).toBe(held?.dpop?.jkt)
    expect((await stored())?.dpop?.jkt).toBe(held?.dpop?.jkt)
    expect((await stored())?.token_type).toBe('DPoP')
    client.dispose()
  })

  it('is replaced by the next login and deleted at logout, with no proof sent to revocation', async () => {
    const { server, client, signIn, stored } = setup()
    const first = await signIn()
    const second = await signIn()
    expect(second?.dpop_jkt).toBeDefined()
    expect(second?.dpop_jkt).not.toBe(first?.dpop_jkt)
    expect((await stored())?.dpop?.jkt).toBe(second?.dpop_jkt)
    await client.logout()
    expect(await stored()).toBeUndefined()
    expect(server.at('/revoke').length).toBeGreaterThan(0)
    expect(server.at('/revoke').every((s) => s.proof === undefined)).toBe(true)
    client.dispose()
  })

  it('of two logins started at the same moment in two tabs is kept for each, and deleted after use', async () => {
    const { server, store } = setup()
    // Two tabs of one browser: one store, each its own address bar and sessionStorage.
    const tabs = [0, 1].map(() => {
      const page = testPage({ fetch: server.fetch, store })
      return { page, client: createAuthClient(profile, { environment: page.environment }) }
    })
    const logins = await Promise.all(tabs.map(({ client }) => client.login({ navigate: false })))
    const signedIn = await Promise.all(
      tabs.map(async ({ page, client }, i) => {
        page.open(callbackFor(logins[i] ?? new URL(APP)))
        return client.handleCallback()
      }),
    )
    const keys = signedIn.map((tokens) => tokens?.dpop_jkt)
    expect(keys.every((jkt) => jkt !== undefined)).toBe(true)
    expect(keys[0]).not.toBe(keys[1])
    // Each key's own record is gone, and the index (changed in one transaction each time) with it.
    expect(await store.get('dpop-login:idp')).toBeUndefined()
    for (const login of logins) {
      expect(
        await store.get(`dpop-login:idp:${login.searchParams.get('state') ?? ''}`),
      ).toBeUndefined()
    }
    for (const { client } of tabs) client.dispose()
  })

  it("is not spent by a callback carrying another tab's state: that tab's login still completes", async () => {
    const { server, store } = setup()
    const [owner, other] = [0, 1].map(() => {
      const page = testPage({ fetch: server.fetch, store })
      return { page, client: createAuthClient(profile, { environment: page.environment }) }
    })
    if (owner === undefined || other === undefined) throw new Error('two tabs')
    const ownLogin = await other.client.login({ navigate: false })
    const login = await owner.client.login({ navigate: false })
    // The owner's callback, opened in the other tab (a crafted link, or a copied URL).
    other.page.open(callbackFor(login))
    await expect(other.client.handleCallback()).rejects.toMatchObject({ code: 'state_mismatch' })
    expect(server.at('/token')).toHaveLength(0)
    owner.page.open(callbackFor(login))
    expect((await owner.client.handleCallback())?.dpop_jkt).toBeDefined()
    // The other tab's own login was left alone too.
    other.page.open(callbackFor(ownLogin))
    expect((await other.client.handleCallback())?.dpop_jkt).toBeDefined()
    for (const { client } of [owner, other]) client.dispose()
  })

  it('of a login never finished is deleted by a later login once the login record has expired', async () => {
    const store = memoryStore()
    const key = await generateDpopKey()
    await savePendingKey(store, 'idp', 'abandoned', key, 0)
    await savePendingKey(store, 'idp', 'recent', key, TRANSIENT_TTL_MS - 1)
    await savePendingKey(store, 'idp', 'next', key, TRANSIENT_TTL_MS)
    expect(await store.get('dpop-login:idp:abandoned')).toBeUndefined()
    expect(await store.get('dpop-login:idp:recent')).toBeDefined()
    expect(Object.keys((await store.get('dpop-login:idp')) as object).sort()).toEqual([
      'next',
      'recent',
    ])
  })

  it('of two logins saved at the same moment are both in the index the sweep reads', async () => {
    const store = memoryStore()
    const key = await generateDpopKey()
    await Promise.all(['a', 'b'].map((state) => savePendingKey(store, 'idp', state, key, 1)))
    expect(Object.keys((await store.get('dpop-login:idp')) as object).sort()).toEqual(['a', 'b'])
  })

  it('left in the layout before one record per login still serves its callback, then is swept', async () => {
    const store = memoryStore()
    const key = await generateDpopKey()
    const old = { key, created_at: 5 }
    await store.set('dpop-login:idp', { old, ancient: { key, created_at: 5 - TRANSIENT_TTL_MS } })
    await savePendingKey(store, 'idp', 'next', key, 10)
    expect(Object.keys((await store.get('dpop-login:idp')) as object).sort()).toEqual([
      'next',
      'old',
    ])
    expect((await takePendingKey(store, 'idp', 'old'))?.jkt).toBe(key.jkt)
    expect(await store.get('dpop-login:idp')).toEqual({ next: 10 })
  })

  it('is deleted with the tokens when the provider refuses the refresh', async () => {
    const { server, client, signIn, stored } = setup()
    await signIn()
    server.state.refresh = () => json({ error: 'invalid_grant' }, 400)
    await expect(client.refresh()).rejects.toMatchObject({ code: 'invalid_grant' })
    expect(await stored()).toBeUndefined()
    client.dispose()
  })
})

describe('DPoP at a resource server', () => {
  it('answers a nonce challenge with one retry, then sends the remembered nonce at once', async () => {
    const { server, client, signIn } = setup()
    await signIn()
    const response = await client.fetch(API)
    expect(response.status).toBe(200)
    const calls = server.at('/me')
    expect(calls.map((s) => s.proof?.nonce)).toEqual([undefined, 'rs-1'])
    expect(calls.every((s) => s.authorization === 'DPoP at-1')).toBe(true)
    expect(calls[1]?.proof?.ath).toBe(await sha256('at-1'))
    expect(calls[1]?.proof?.htm).toBe('GET')
    await client.fetch(API)
    expect(server.at('/me')).toHaveLength(3)
    client.dispose()
  })

  it('retries a nonce challenge exactly once, never in a loop', async () => {
    const { server, client, signIn } = setup()
    await signIn()
    // Each answer asks for a nonce the proof cannot have yet.
    let n = 0
    server.state.api = () => {
      server.state.apiNonce = `rs-${String(++n + 1)}`
      return json({ error: 'use_dpop_nonce' }, 401, {
        'www-authenticate': 'DPoP error="use_dpop_nonce"',
        'dpop-nonce': server.state.apiNonce,
      })
    }
    server.state.apiNonce = 'never'
    const response = await client.fetch(API)
    expect(response.status).toBe(401)
    expect(server.at('/me')).toHaveLength(2)
    expect(server.at('/token')).toHaveLength(2)
    client.dispose()
  })

  it('takes DPoP error="invalid_token" as a refused token: one refresh, one retry', async () => {
    const { server, client, signIn } = setup()
    await signIn()
    let refused = false
    server.state.api = (sent) => {
      if (refused || sent.authorization !== 'DPoP at-1') return undefined
      refused = true
      return json({ error: 'invalid_token' }, 401, {
        'www-authenticate': 'DPoP error="invalid_token", algs="ES256"',
      })
    }
    const response = await client.fetch(API)
    expect(response.status).toBe(200)
    expect(
      server.at('/token').filter((s) => s.form.get('grant_type') === 'refresh_token'),
    ).toHaveLength(1)
    expect(server.at('/me').at(-1)?.authorization).toBe('DPoP at-2')
    client.dispose()
  })
})

describe('the token type a provider answers', () => {
  it('Bearer when DPoP was asked is dpop_mismatch, and nothing is stored', async () => {
    const { server, client, signIn, stored } = setup()
    server.state.tokenType = 'Bearer'
    await expect(signIn()).rejects.toMatchObject({ code: 'dpop_mismatch' })
    expect(await stored()).toBeUndefined()
    client.dispose()
  })

  it('DPoP when DPoP was not asked is dpop_mismatch', async () => {
    const { server, client, signIn, stored } = setup({ ...profile, dpop: false })
    server.state.tokenType = 'DPoP'
    await expect(signIn()).rejects.toMatchObject({ code: 'dpop_mismatch' })
    expect(server.at('/token').every((s) => s.proof === undefined)).toBe(true)
    expect(await stored()).toBeUndefined()
    client.dispose()
  })
})

describe('pushed authorization requests', () => {
  const metadata = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    pushed_authorization_request_endpoint: `${ISSUER}/par`,
  }
  const parProfile = (extra: Record<string, unknown>) => {
    const checked = validateProfile({ ...profile, dpop: false, ...extra })
    if (!checked.ok) throw new Error(checked.errors.join())
    return checked.profile
  }

  it('with par: true, pushes the parameters and leaves with client_id and request_uri only', async () => {
    const server = dpopServer()
    const p = parProfile({ par: true })
    const url = await startAuthorization(p, endpointsFor(p, metadata), {
      storage: memoryStorage(),
      redirectUri: APP,
      now: 1000,
      fetch: server.fetch,
    })
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`)
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(url.searchParams.get('request_uri')).toBe('urn:par:1')
    const pushed = server.at('/par')
    expect(pushed).toHaveLength(1)
    expect(pushed[0]?.form.get('code_challenge_method')).toBe('S256')
    expect(pushed[0]?.form.get('redirect_uri')).toBe(APP)
  })

  it('is used whenever the metadata requires it, and carries a DPoP proof (one nonce retry)', async () => {
    const server = dpopServer()
    const p = parProfile({})
    const key = await generateDpopKey()
    const { dpopHandle } = await import('../../src/core/protocol/dpop')
    const url = await startAuthorization(
      p,
      endpointsFor(p, { ...metadata, require_pushed_authorization_requests: true }),
      {
        storage: memoryStorage(),
        redirectUri: APP,
        now: 1000,
        fetch: server.fetch,
        dpop: dpopHandle(key),
      },
    )
    expect(url.searchParams.get('request_uri')).toBe('urn:par:1')
    const pushed = server.at('/par')
    expect(pushed.map((s) => s.proof?.nonce)).toEqual([undefined, 'as-1'])
    expect(pushed.every((s) => s.proof?.jkt === key.jkt)).toBe(true)
  })

  it('says so when the provider names no PAR endpoint', async () => {
    const p = parProfile({ par: true })
    await expect(
      startAuthorization(p, endpointsFor(p), {
        storage: memoryStorage(),
        redirectUri: APP,
        now: 1,
      }),
    ).rejects.toMatchObject({ code: 'invalid_profile' })
  })

  it('a PAR endpoint refused by CORS gets the network-or-CORS diagnosis', async () => {
    const p = parProfile({ par: true })
    await expect(
      startAuthorization(p, endpointsFor(p, metadata), {
        storage: memoryStorage(),
        redirectUri: APP,
        now: 1,
        fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      }),
    ).rejects.toMatchObject({ code: 'cors_blocked', message: /pushed authorization request/ })
  })
})

describe("the store's atomic update", () => {
  it('deletes the key in IndexedDB when the change gives undefined, as the memory store does', async () => {
    const name = `kv-update-test-${String(++databases)}`
    const store = indexedDbStore(name)
    await store.update?.('k', () => 1)
    await store.update?.('k', (value) => (value as number) + 1)
    expect(await store.get('k')).toBe(2)
    await store.update?.('k', () => undefined)
    expect(await keys(createStore(name, 'kv'))).toEqual([])
  })
})
