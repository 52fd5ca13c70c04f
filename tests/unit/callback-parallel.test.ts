import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core'
import { memoryStore } from '../../src/core/storage/kv'
import { type JwksCache, verifyJwt } from '../../src/core/tools'
import { json } from './fake-fetch'
import { callbackFor, ISSUER, testPage, testProfile } from './test-page'

const profile = { ...testProfile, jwks_uri: `${ISSUER}/jwks`, scope: 'openid' }

/**
 * A provider whose token endpoint answers only when `answerToken` is called, and that signs the
 * ID token with the key its JWKS publishes; `events` lists what was asked and answered, in order.
 */
async function slowProvider() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  const events: string[] = []
  let answerToken: () => void = () => undefined
  const tokenAnswered = new Promise<void>((resolve) => (answerToken = resolve))
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    events.push(`asked ${url.pathname}`)
    if (url.pathname === '/jwks') return json({ keys: [jwk] })
    if (url.pathname === '/token') {
      await tokenAnswered
      const code = new URLSearchParams(await request.text())
      const nonce = nonces.get(code.get('code') ?? '')
      const now = Math.floor(Date.now() / 1000)
      const idToken = await new SignJWT({ sub: 'alice', nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience('spa')
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey)
      events.push('answered /token')
      return json({ access_token: 'at', token_type: 'Bearer', expires_in: 3600, id_token: idToken })
    }
    throw new TypeError('Failed to fetch')
  }
  const nonces = new Map<string, string>()
  return { fetch: fetchImpl, events, answerToken, nonces }
}

describe('the callback', () => {
  it("fetches the ID token's keys while the code is exchanged, not after", async () => {
    const provider = await slowProvider()
    const page = testPage({ fetch: provider.fetch, store: memoryStore() })
    const client = createAuthClient(profile, { environment: page.environment })
    await client.handleCallback()
    const login = await client.login({ navigate: false })
    provider.nonces.set('c0de', login.searchParams.get('nonce') ?? '')
    page.open(callbackFor(login))
    const done = client.handleCallback()
    // The exchange is held at the provider; the keys must be asked for meanwhile.
    await expect
      .poll(() => provider.events.includes('asked /jwks'), { interval: 5, timeout: 1000 })
      .toBe(true)
    expect(provider.events).not.toContain('answered /token')
    provider.answerToken()
    const tokens = await done
    expect(tokens?.id_token_claims?.sub).toBe('alice')
    // Fetched once: the check used the keys fetched in parallel.
    expect(provider.events.filter((e) => e === 'asked /jwks')).toHaveLength(1)
  })
})

describe("the callback's keys", () => {
  it('are fetched once for the ID token check and the inspector after it, when they share a cache', async () => {
    const provider = await slowProvider()
    provider.answerToken()
    const page = testPage({ fetch: provider.fetch, store: memoryStore() })
    const jwksCache: JwksCache = new Map()
    const client = createAuthClient(profile, { environment: page.environment, jwksCache })
    await client.handleCallback()
    const login = await client.login({ navigate: false })
    provider.nonces.set('c0de', login.searchParams.get('nonce') ?? '')
    page.open(callbackFor(login))
    const tokens = await client.handleCallback()
    // The page's inspector shows both tokens at once with the same cache, as the console does.
    const sources = [{ kind: 'jwks_uri' as const, url: `${ISSUER}/jwks` }]
    const checks = await Promise.all(
      [tokens?.access_token, tokens?.id_token].map((token) =>
        verifyJwt(token ?? '', sources, { fetch: provider.fetch, now: Date.now(), jwksCache }),
      ),
    )
    expect(checks[1]?.status).toBe('verified')
    expect(provider.events.filter((e) => e === 'asked /jwks')).toHaveLength(1)
  })
})

describe('two signature checks started together', () => {
  it('share one request for their JWKS', async () => {
    const provider = await slowProvider()
    const { privateKey } = await generateKeyPair('RS256')
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(privateKey)
    const jwksCache: JwksCache = new Map()
    const sources = [{ kind: 'jwks_uri' as const, url: `${ISSUER}/jwks` }]
    const options = { fetch: provider.fetch, now: Date.now(), jwksCache }
    await Promise.all([verifyJwt(token, sources, options), verifyJwt(token, sources, options)])
    expect(provider.events.filter((e) => e === 'asked /jwks')).toHaveLength(1)
  })
})

describe('a callback that fails', () => {
  it("reports its own error, not the stored session's, when IndexedDB cannot be read", async () => {
    const provider = await slowProvider()
    const store = memoryStore()
    const page = testPage({ fetch: provider.fetch, store })
    const client = createAuthClient(profile, { environment: page.environment })
    await client.handleCallback()
    const login = await client.login({ navigate: false })
    // A forged callback (another state), while the stored session cannot be read.
    page.open(callbackFor(new URL(`${login.origin}${login.pathname}?state=forged`)))
    store.get = () => Promise.reject(new Error('IndexedDB is gone'))
    const other = createAuthClient(profile, { environment: page.environment })
    await expect(other.handleCallback()).rejects.toMatchObject({ code: 'state_mismatch' })
  })
})
