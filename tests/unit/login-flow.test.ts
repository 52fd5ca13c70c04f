import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { startAuthorization } from '../../src/core/protocol/authorize'
import { completeAuthorization } from '../../src/core/protocol/callback'
import { readCallback, withoutCallbackParams } from '../../src/core/protocol/callback-params'
import { AppError } from '../../src/core/protocol/errors'
import { confirmedIssuer, endpointsFor } from '../../src/core/protocol/server'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import { isPendingLogin, TRANSIENT_TTL_MS } from '../../src/core/protocol/transient'
import type { Profile } from '../../src/core/profile/types'
import { json, memoryStorage, scriptedFetch } from './fake-fetch'

const profile: Profile = {
  id: 'acme',
  name: 'Acme',
  issuer: 'https://id.acme.test',
  authorization_endpoint: 'https://id.acme.test/authorize',
  token_endpoint: 'https://id.acme.test/token',
  client_id: 'app',
  scope: 'api',
  pkce: true,
}
const redirectUri = 'https://app.test/console/'

async function begin(storage = memoryStorage(), p = profile) {
  const url = await startAuthorization(p, endpointsFor(p), { storage, redirectUri, now: 1000 })
  return { url, storage, state: url.searchParams.get('state') ?? '' }
}

function finish(
  params: URLSearchParams,
  storage: Storage,
  fetchImpl: typeof fetch,
  now = 2000,
  p = profile,
) {
  return completeAuthorization(params, {
    storage,
    now: () => now,
    redirectUri,
    fetch: fetchImpl,
    resolve: () => Promise.resolve({ profile: p, endpoints: endpointsFor(p) }),
  })
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('startAuthorization', () => {
  it('sends an S256 challenge of a fresh verifier, and keys the record by state', async () => {
    const { url, storage, state } = await begin()
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri)
    const record = JSON.parse(storage.getItem(`pkce-console:login:${state}`) ?? '{}') as {
      verifier: string
    }
    expect(await oauth.calculatePKCECodeChallenge(record.verifier)).toBe(
      url.searchParams.get('code_challenge'),
    )
    // What the callback is judged against: the issuer and token endpoint this login began with.
    expect(record).toMatchObject({
      issuer: 'https://id.acme.test',
      token_endpoint: 'https://id.acme.test/token',
      server: serverFingerprint(profile),
    })
    expect(Object.keys(record).sort()).toEqual([
      'created_at',
      'issuer',
      'profile_id',
      'server',
      'state',
      'token_endpoint',
      'verifier',
    ])
    const second = await begin(storage)
    expect(second.url.searchParams.get('code_challenge')).not.toBe(
      url.searchParams.get('code_challenge'),
    )
    expect(storage.length).toBe(2)
  })

  it('adds a nonce only when openid is in scope', async () => {
    const { url } = await begin(memoryStorage(), { ...profile, scope: 'openid email' })
    expect(url.searchParams.get('nonce')).toMatch(/.{20,}/)
    expect((await begin()).url.searchParams.has('nonce')).toBe(false)
  })
})

describe('completeAuthorization', () => {
  it('exchanges the code with the verifier and deletes the record', async () => {
    const { storage, state } = await begin()
    const server = scriptedFetch([
      {
        method: 'POST',
        url: 'https://id.acme.test/token',
        form: (body) => {
          expect(body.get('code')).toBe('c0de')
          expect(body.get('code_verifier')).toMatch(/^[\w-]{43,}$/)
          expect(body.get('redirect_uri')).toBe(redirectUri)
          expect(body.has('client_secret')).toBe(false)
        },
        answer: () =>
          json({ access_token: 'at', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt' }),
      },
    ])
    const params = new URLSearchParams({ code: 'c0de', state })
    const { tokens } = await finish(params, storage, server.fetch)
    expect(tokens).toMatchObject({ access_token: 'at', refresh_token: 'rt', expires_at: 62_000 })
    // Stamped with the server the code went to, not whatever the profile names when stored.
    expect(tokens.server).toBe(serverFingerprint(profile))
    expect(storage.length).toBe(0)
    server.done()
  })

  it('refuses a tampered state without any request', async () => {
    const { storage } = await begin()
    const server = scriptedFetch([])
    const error = await rejection(
      finish(new URLSearchParams({ code: 'c', state: 'evil' }), storage, server.fetch),
    )
    expect(error.code).toBe('state_mismatch')
  })

  it('refuses a callback with no pending login, and a replayed one', async () => {
    const server = scriptedFetch([])
    const none = await rejection(
      finish(new URLSearchParams({ code: 'c', state: 's' }), memoryStorage(), server.fetch),
    )
    expect(none.code).toBe('no_pending_login')
  })

  it('refuses a login older than ten minutes', async () => {
    const { storage, state } = await begin()
    const error = await rejection(
      finish(
        new URLSearchParams({ code: 'c', state }),
        storage,
        scriptedFetch([]).fetch,
        1000 + TRANSIENT_TTL_MS,
      ),
    )
    expect(error.code).toBe('login_expired')
    expect(storage.length).toBe(0)
  })

  it('believes an error only after checking iss (RFC 9207)', async () => {
    const p = { ...profile }
    const { storage, state } = await begin(memoryStorage(), p)
    const params = new URLSearchParams({ error: 'access_denied', state, iss: 'https://evil.test' })
    const error = await rejection(finish(params, storage, scriptedFetch([]).fetch))
    expect(error.code).toBe('iss_mismatch')
    // Another provider's answer, perhaps: nothing in it is offered as the issuer to set.
    expect(error.detail).toBeUndefined()
  })

  it("names the callback's iss when only a trailing slash sets it apart from the login's", async () => {
    const { storage, state } = await begin(memoryStorage(), profile)
    const iss = `${profile.issuer ?? ''}/`
    const params = new URLSearchParams({ code: 'c', state, iss })
    const error = await rejection(finish(params, storage, scriptedFetch([]).fetch))
    expect(error).toMatchObject({ code: 'iss_mismatch', detail: { url: iss, field: 'issuer' } })
  })

  it('reports the provider error and its description', async () => {
    const { storage, state } = await begin()
    const params = new URLSearchParams({
      error: 'access_denied',
      error_description: '<b>no</b>',
      state,
    })
    const error = await rejection(finish(params, storage, scriptedFetch([]).fetch))
    expect([error.displayCode, error.errorDescription]).toEqual(['access_denied', '<b>no</b>'])
    expect(storage.length).toBe(0)
  })

  it.each([
    ['an OAuth error body', () => json({ error: 'invalid_grant' }, 400), 'invalid_grant'],
    [
      'HTML',
      () =>
        new Response('<html>oops</html>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
      'invalid_token_response',
    ],
    ['no access_token', () => json({ token_type: 'Bearer' }), 'invalid_token_response'],
    [
      'a non-Bearer token',
      () => json({ access_token: 'a', token_type: 'MAC' }),
      'invalid_token_response',
    ],
    [
      'a negative expires_in',
      () => json({ access_token: 'a', token_type: 'bearer', expires_in: -5 }),
      'invalid_token_response',
    ],
  ])('refuses a token answer with %s', async (_label, answer, code) => {
    const { storage, state } = await begin()
    const server = scriptedFetch([{ method: 'POST', url: 'https://id.acme.test/token', answer }])
    const error = await rejection(
      finish(new URLSearchParams({ code: 'c', state }), storage, server.fetch),
    )
    expect(error.displayCode).toBe(code)
  })

  it('says CORS or the network when the browser blocks the exchange', async () => {
    const { storage, state } = await begin()
    const blocked = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch
    const error = await rejection(
      finish(new URLSearchParams({ code: 'c', state }), storage, blocked),
    )
    expect(error.code).toBe('cors_blocked')
    expect(error.message).toContain("this app's origin (CORS)")
  })
})

describe('clock skew at the code exchange', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`
  const HOUR = 3600
  /** This device's clock at the exchange, ms: oauth4webapi judges times by Date.now(). */
  const DEVICE_NOW = Math.floor(Date.now() / 1000) * 1000
  /** An ID token the provider issued when its clock read `providerSeconds`. */
  const idToken = (providerSeconds: number) =>
    jwt({
      iss: profile.issuer,
      aud: profile.client_id,
      sub: 'alice',
      iat: providerSeconds,
      exp: providerSeconds + HOUR,
    })
  async function exchange(answer: Record<string, unknown>) {
    const storage = memoryStorage()
    const url = await startAuthorization(profile, endpointsFor(profile), {
      storage,
      redirectUri,
      now: DEVICE_NOW - 1000,
    })
    const state = url.searchParams.get('state') ?? ''
    const server = scriptedFetch([
      {
        method: 'POST',
        url: 'https://id.acme.test/token',
        answer: () => json({ token_type: 'bearer', expires_in: 300, ...answer }),
      },
    ])
    const params = new URLSearchParams({ code: 'c', state })
    return completeAuthorization(params, {
      storage,
      now: () => DEVICE_NOW,
      redirectUri,
      fetch: server.fetch,
      resolve: () => Promise.resolve({ profile, endpoints: endpointsFor(profile) }),
    })
  }
  const deviceSeconds = DEVICE_NOW / 1000

  it('judges the ID token by the provider clock when this device is 2 h ahead, and says so', async () => {
    const result = await exchange({
      access_token: 'opaque',
      id_token: idToken(deviceSeconds - 2 * HOUR),
    })
    expect(result.clockSkewMs).toBe(-2 * HOUR * 1000)
  })

  it('refuses a two-day-old expired ID token instead of blaming the device clock', async () => {
    const error = await rejection(
      exchange({ access_token: 'opaque', id_token: idToken(deviceSeconds - 48 * HOUR) }),
    )
    expect(error.code).toBe('id_token_invalid')
    expect(error.message).toMatch(/"exp"/)
  })

  it('refuses an expired ID token when the access token says the clocks agree', async () => {
    const error = await rejection(
      exchange({
        access_token: jwt({ iat: deviceSeconds, exp: deviceSeconds + 300 }),
        id_token: idToken(deviceSeconds - 90 * 60),
      }),
    )
    expect(error.code).toBe('id_token_invalid')
  })

  it("takes the skew from the access token's iat, not from the ID token being judged", async () => {
    const result = await exchange({
      access_token: jwt({ iat: deviceSeconds - 90 * 60, exp: deviceSeconds }),
      id_token: idToken(deviceSeconds - 90 * 60),
    })
    expect(result.clockSkewMs).toBe(-90 * 60 * 1000)
  })

  it("names the issuer an ID token gave when it is not the profile's", async () => {
    const error = await rejection(
      exchange({
        access_token: 'opaque',
        id_token: jwt({
          iss: `${profile.issuer ?? ''}/`,
          aud: profile.client_id,
          sub: 'alice',
          iat: deviceSeconds,
          exp: deviceSeconds + HOUR,
        }),
      }),
    )
    expect(error).toMatchObject({
      code: 'id_token_invalid',
      detail: { field: 'iss', url: `${profile.issuer ?? ''}/` },
    })
  })

  it('names no issuer of an ID token from an unrelated one: that may be another provider', async () => {
    const error = await rejection(
      exchange({
        access_token: 'opaque',
        id_token: jwt({
          iss: 'https://evil.test',
          aud: profile.client_id,
          sub: 'alice',
          iat: deviceSeconds,
          exp: deviceSeconds + HOUR,
        }),
      }),
    )
    expect(error).toMatchObject({ code: 'id_token_invalid', detail: { field: 'iss' } })
    expect(error.detail?.url).toBeUndefined()
  })

  it("takes Doorkeeper's created_at as a witness too", async () => {
    const error = await rejection(
      exchange({
        access_token: 'opaque',
        created_at: deviceSeconds,
        id_token: idToken(deviceSeconds - 90 * 60),
      }),
    )
    expect(error.code).toBe('id_token_invalid')
  })
})

describe('mix-up defence (RFC 9207, RFC 9700 §4.4)', () => {
  /** Provider B: no issuer of its own, its token endpoint elsewhere (the MyNickname shape). */
  const noIssuer: Profile = {
    id: 'b',
    name: 'B',
    authorization_endpoint: 'https://b.test/authorize',
    token_endpoint: 'https://b.test/token',
    client_id: 'app',
    scope: '',
    pkce: true,
  }

  it("refuses A's callback (iss=A) for a login started at a profile that names no issuer", async () => {
    const { storage, state } = await begin(memoryStorage(), noIssuer)
    const server = scriptedFetch([])
    const params = new URLSearchParams({ code: 'c', state, iss: 'https://id.acme.test' })
    const error = await rejection(finish(params, storage, server.fetch, 2000, noIssuer))
    expect(error.code).toBe('iss_mismatch')
    // The issuer it claims, for the advice to name (set the profile's Issuer to it).
    expect(error.detail).toEqual({ url: 'https://id.acme.test' })
    // Neither the code nor the verifier went anywhere, and the record is gone.
    expect(server.sent).toEqual([])
    expect(storage.length).toBe(0)
  })

  it('still logs in at a profile without issuer when the callback names none', async () => {
    const { storage, state } = await begin(memoryStorage(), noIssuer)
    const server = scriptedFetch([
      {
        method: 'POST',
        url: 'https://b.test/token',
        answer: () => json({ access_token: 'at', token_type: 'Bearer' }),
      },
    ])
    const { tokens } = await finish(
      new URLSearchParams({ code: 'c', state }),
      storage,
      server.fetch,
      2000,
      noIssuer,
    )
    expect(tokens.access_token).toBe('at')
    server.done()
  })

  it('does not trust an issuer string a profile copies from another provider while its token endpoint is elsewhere', async () => {
    const impostor: Profile = { ...noIssuer, issuer: 'https://id.acme.test' }
    expect(confirmedIssuer(impostor, endpointsFor(impostor).as)).toBeUndefined()
    const { storage, state } = await begin(memoryStorage(), impostor)
    const server = scriptedFetch([])
    const params = new URLSearchParams({ code: 'c', state, iss: 'https://id.acme.test' })
    const error = await rejection(finish(params, storage, server.fetch, 2000, impostor))
    expect(error.code).toBe('iss_mismatch')
    expect(server.sent).toEqual([])
  })

  it('trusts an issuer whose token, refresh, revocation and userinfo endpoints are all on its origin, or that discovery confirmed', () => {
    expect(confirmedIssuer(profile, endpointsFor(profile).as)).toBe('https://id.acme.test')
    const leaky = { ...profile, userinfo_endpoint: 'https://elsewhere.test/me' }
    expect(confirmedIssuer(leaky, endpointsFor(leaky).as)).toBeUndefined()
    const metadata = {
      issuer: 'https://id.acme.test',
      token_endpoint: 'https://tokens.acme.test/token',
    }
    const discovered = { ...profile, discovery: true }
    expect(endpointsFor(discovered, metadata).confirmedIssuer).toBe('https://id.acme.test')
    const refreshElsewhere = { ...discovered, refresh_endpoint: 'https://evil.test/refresh' }
    expect(endpointsFor(refreshElsewhere, metadata).confirmedIssuer).toBeUndefined()
    // A token endpoint the profile adds to metadata that names none receives the code and
    // verifier: the issuer's own, or the issuer is not vouched for.
    const noTokenEndpoint = { issuer: metadata.issuer }
    const tokensElsewhere = { ...discovered, token_endpoint: 'https://evil.test/token' }
    expect(endpointsFor(tokensElsewhere, noTokenEndpoint).confirmedIssuer).toBeUndefined()
    const tokensAtIssuer = { ...discovered, token_endpoint: 'https://id.acme.test/token' }
    expect(endpointsFor(tokensAtIssuer, noTokenEndpoint).confirmedIssuer).toBe(
      'https://id.acme.test',
    )
    // Receivers the profile adds where the metadata has none must be the issuer's own too.
    for (const field of ['revocation_endpoint', 'userinfo_endpoint', 'end_session_endpoint']) {
      const added = { ...discovered, [field]: 'https://evil.test/x' }
      expect(endpointsFor(added, metadata).confirmedIssuer).toBeUndefined()
      const listed = { ...metadata, [field]: 'https://id.acme.test/x' }
      expect(endpointsFor(added, listed).confirmedIssuer).toBe('https://id.acme.test')
    }
    const endSessionElsewhere = { ...profile, end_session_endpoint: 'https://evil.test/logout' }
    expect(
      confirmedIssuer(endSessionElsewhere, endpointsFor(endSessionElsewhere).as),
    ).toBeUndefined()
  })

  it('refuses a callback without iss when the issuer promised one', async () => {
    const storage = memoryStorage()
    const promised = endpointsFor(profile, {
      issuer: 'https://id.acme.test',
      authorization_endpoint: 'https://id.acme.test/authorize',
      token_endpoint: 'https://id.acme.test/token',
      authorization_response_iss_parameter_supported: true,
    })
    const url = await startAuthorization(profile, promised, { storage, redirectUri, now: 1000 })
    const error = await rejection(
      finish(
        new URLSearchParams({ code: 'c', state: url.searchParams.get('state') ?? '' }),
        storage,
        scriptedFetch([]).fetch,
      ),
    )
    expect(error.code).toBe('iss_mismatch')
  })

  it('refuses a callback without iss when the issuer began promising one after the login', async () => {
    const { storage, state } = await begin()
    const promising = endpointsFor(profile, {
      issuer: 'https://id.acme.test',
      authorization_endpoint: 'https://id.acme.test/authorize',
      token_endpoint: 'https://id.acme.test/token',
      authorization_response_iss_parameter_supported: true,
    })
    const server = scriptedFetch([])
    const error = await rejection(
      completeAuthorization(new URLSearchParams({ code: 'c', state }), {
        storage,
        now: () => 2000,
        redirectUri,
        fetch: server.fetch,
        resolve: () => Promise.resolve({ profile, endpoints: promising }),
      }),
    )
    expect(error.code).toBe('iss_mismatch')
    expect(server.sent).toEqual([])
  })

  it('sends the code only to the token endpoint the login began with, even if the profile changed since', async () => {
    const { storage, state } = await begin()
    const moved: Profile = { ...profile, token_endpoint: 'https://id.acme.test/other-token' }
    const server = scriptedFetch([])
    const error = await rejection(
      finish(
        new URLSearchParams({ code: 'c', state, iss: 'https://id.acme.test' }),
        storage,
        server.fetch,
        2000,
        moved,
      ),
    )
    expect(error.code).toBe('profile_changed')
    expect(server.sent).toEqual([])
  })
})

describe('starting a login', () => {
  it('deletes the records of logins abandoned more than ten minutes ago, and only those', async () => {
    const storage = memoryStorage()
    const old = await startAuthorization(profile, endpointsFor(profile), {
      storage,
      redirectUri,
      now: 1000,
    })
    const recent = await startAuthorization(profile, endpointsFor(profile), {
      storage,
      redirectUri,
      now: 1000 + TRANSIENT_TTL_MS - 1,
    })
    await startAuthorization(profile, endpointsFor(profile), {
      storage,
      redirectUri,
      now: 1000 + TRANSIENT_TTL_MS,
    })
    const pending = (url: URL) => isPendingLogin(storage, url.searchParams.get('state') ?? '')
    expect([pending(old), pending(recent)]).toEqual([false, true])
  })
})

describe("the authorization endpoint's own query", () => {
  it("is sent, but for the parameters that are the app's alone (discovered metadata is not validated)", async () => {
    const metadata = {
      issuer: 'https://id.acme.test',
      authorization_endpoint:
        'https://id.acme.test/authorize?tenant=t1&response_mode=form_post&request_uri=urn:x&state=fixed',
      token_endpoint: 'https://id.acme.test/token',
    }
    const discovered = { ...profile, discovery: true }
    const url = await startAuthorization(discovered, endpointsFor(discovered, metadata), {
      storage: memoryStorage(),
      redirectUri,
      now: 1000,
    })
    expect(url.searchParams.get('tenant')).toBe('t1')
    expect(url.searchParams.has('response_mode')).toBe(false)
    expect(url.searchParams.has('request_uri')).toBe(false)
    expect(url.searchParams.getAll('state')).toHaveLength(1)
    expect(url.searchParams.get('state')).not.toBe('fixed')
  })
})

describe('callback URL handling', () => {
  it('recognises a callback and strips only its parameters', () => {
    const url = new URL('https://app.test/c/?tab=2&code=x&state=y&iss=z&session_state=q')
    expect(readCallback(url)?.get('code')).toBe('x')
    expect(withoutCallbackParams(url)).toBe('https://app.test/c/?tab=2')
    expect(readCallback(new URL('https://app.test/c/?tab=2'))).toBeUndefined()
  })

  it("keeps only the redirect URI's own parameters: Google appends scope, authuser, hd, prompt", () => {
    const url = new URL(
      'https://app.test/c/?tab=2&code=x&state=y&scope=openid+email&authuser=0&hd=example.com&prompt=consent',
    )
    expect(withoutCallbackParams(url, 'https://app.test/c/')).toBe('https://app.test/c/')
    expect(withoutCallbackParams(url, 'https://app.test/c/?tab=2')).toBe(
      'https://app.test/c/?tab=2',
    )
    // A redirect URI for another page says nothing about this one's query.
    expect(withoutCallbackParams(url, 'https://app.test/other/')).toContain('authuser=0')
    expect(withoutCallbackParams(url, 'not a URL')).not.toContain('code=')
  })
})
