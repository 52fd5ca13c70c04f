import * as oauth from 'oauth4webapi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { toAppError } from '../../src/core/protocol/errors'
import { REQUEST_TIMEOUT_MS } from '../../src/core/protocol/server'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import type { Profile } from '../../src/core/profile/types'
import { createSession } from '../../src/console/session'
import { memoryStore } from '../../src/core/storage/kv'
import { writeTokens } from '../../src/core/storage/token-store'
import { json, memoryStorage, opaqueRedirect } from './fake-fetch'

const APP = 'https://app.test/console/'
const ISSUER = 'https://id.test'
const OIDC = `${ISSUER}/.well-known/openid-configuration`
const RFC8414 = `${ISSUER}/.well-known/oauth-authorization-server`
/** Discovery on, endpoints in the profile too: a failing discovery falls back to them. */
const idp = {
  id: 'idp',
  name: 'IdP',
  client_id: 'app',
  issuer: ISSUER,
  discovery: true,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/userinfo`,
}
/** The same provider, without discovery. */
const plain = { ...idp, discovery: false }
const tokens = {
  access_token: 'AT',
  refresh_token: 'RT',
  token_type: 'Bearer' as const,
  received_at: 1,
  expires_at: 10_000_000,
}

type Handler = (init: RequestInit | undefined) => Response | Promise<Response>

/** A signed-in page load whose provider answers from `routes`; any other request fails. */
async function signedIn(routes: Record<string, Handler>, profile: Record<string, unknown> = idp) {
  const store = memoryStore()
  // Issued by the server this profile names (tokens carry its fingerprint).
  const issuedUnder = { scope: '', pkce: true, ...profile } as unknown as Profile
  await writeTokens(store, 'idp', { ...tokens, server: serverFingerprint(issuedUnder) })
  const sent: string[] = []
  const session = createSession({
    url: new URL(APP),
    callback: undefined,
    navigate: () => undefined,
    transientStorage: memoryStorage(),
    store,
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url === `${APP}providers.json`) return json({ profiles: [profile], default: 'idp' })
      sent.push(url)
      const handler = routes[url]
      if (handler === undefined) throw new TypeError('Failed to fetch')
      return handler(init)
    },
    now: () => 1_000,
  })
  await session.start()
  const codes = () => session.getState().alerts.map((a) => a.code)
  return { session, sent, codes }
}

const discoveryRequests = (sent: string[]) => sent.filter((url) => url.includes('/.well-known/'))

describe('a failing discovery', () => {
  const redirecting = { [OIDC]: () => opaqueRedirect() }

  it('is asked once per page and alerted once, whatever the actions after it', async () => {
    const { session, sent, codes } = await signedIn({
      ...redirecting,
      [`${ISSUER}/userinfo`]: () => json({ sub: 'alice' }),
    })
    await session.login()
    await session.userinfo()
    await session.logout()
    expect(discoveryRequests(sent)).toEqual([OIDC, RFC8414])
    expect(codes()).toEqual(['discovery_failed'])
    expect(session.getState().alerts[0]?.message).toContain(`${OIDC} answered with a redirect`)
  })

  it('is asked again after the form’s Discover, and after the profile changed', async () => {
    const { session, sent, codes } = await signedIn(redirecting)
    await session.login()
    await session.login()
    expect(discoveryRequests(sent)).toHaveLength(2)
    await session.discoverMetadata(ISSUER)
    expect(discoveryRequests(sent)).toHaveLength(4)
    await session.login()
    expect(discoveryRequests(sent)).toHaveLength(6)
    await session.saveProfile({ ...idp, scope: 'openid' }, { replace: true })
    await session.login()
    expect(discoveryRequests(sent)).toHaveLength(8)
    expect(codes()).toEqual(['discovery_failed', 'discovery_failed', 'discovery_failed'])
  })

  it('is shared by concurrent actions and the token inspector', async () => {
    const { session, sent, codes } = await signedIn(redirecting)
    await Promise.all([
      session.login(),
      session.inspect('access', 'AT'),
      session.refreshNow().catch(() => undefined),
    ])
    expect(discoveryRequests(sent)).toEqual([OIDC, RFC8414])
    expect(codes().filter((code) => code === 'discovery_failed')).toHaveLength(1)
  })

  it('is remembered without a fallback too: no request, the same error', async () => {
    const { session, sent, codes } = await signedIn(redirecting, {
      ...idp,
      authorization_endpoint: undefined,
      token_endpoint: undefined,
    })
    await session.login()
    await session.login()
    expect(discoveryRequests(sent)).toHaveLength(2)
    expect(codes()).toEqual(['discovery_failed', 'discovery_failed'])
  })
})

describe('Log out’s revocation note', () => {
  const logoutNote = (session: Awaited<ReturnType<typeof signedIn>>['session']) =>
    session
      .getState()
      .timeline.filter((entry) => entry.step === 'logout')
      .map((entry) => entry.note)

  it('says nothing was revoked when the provider names no revocation endpoint', async () => {
    const { session, sent } = await signedIn({}, plain)
    await session.logout()
    expect(sent).toEqual([])
    expect(logoutNote(session)).toEqual([
      'not revoked: the provider names no revocation endpoint; the refresh token stays valid until it expires or you revoke the app at the provider',
    ])
  })

  it('says which tokens were revoked and what the provider answered', async () => {
    const revocation = `${ISSUER}/revoke`
    const bodies: string[] = []
    const { session } = await signedIn(
      {
        [revocation]: (init) => {
          bodies.push(init?.body instanceof URLSearchParams ? init.body.toString() : '')
          return bodies.length === 1
            ? new Response(null, { status: 200 })
            : json({ error: 'unsupported_token_type' }, 400)
        },
      },
      { ...plain, revocation_endpoint: revocation },
    )
    await session.logout()
    expect(bodies.map((body) => new URLSearchParams(body).get('token'))).toEqual(['RT', 'AT'])
    expect(logoutNote(session)).toEqual([
      'signed out locally; revocation: refresh token revoked (200), access token not revoked (unsupported_token_type)',
    ])
  })
})

describe('userinfo', () => {
  const forbidden = (challenge?: string) => () =>
    new Response('', {
      status: 403,
      headers: challenge === undefined ? {} : { 'www-authenticate': challenge },
    })

  it('explains a bare 403: the scope most likely lacks openid', async () => {
    const { session, codes } = await signedIn({ [`${ISSUER}/userinfo`]: forbidden() }, plain)
    await session.userinfo()
    expect(codes()).toEqual(['insufficient_scope'])
    const [alert] = session.getState().alerts
    expect(alert?.message).toContain('most likely lacks "openid"')
    expect(alert?.hint).toBe("Edit the profile's Scope to include openid, then log in again.")
    expect(session.getState().api.response?.status).toBe(403)
  })

  it("uses the provider's challenge when it sends one (RFC 6750 §3)", async () => {
    const challenge =
      'Bearer realm="id", error="insufficient_scope", error_description="needs openid", scope="openid profile"'
    const { session, codes } = await signedIn(
      { [`${ISSUER}/userinfo`]: forbidden(challenge) },
      plain,
    )
    await session.userinfo()
    expect(codes()).toEqual(['insufficient_scope'])
    expect(session.getState().alerts[0]).toMatchObject({
      description: 'needs openid',
      hint: "Edit the profile's Scope to include openid profile, then log in again.",
    })
  })

  it('says nothing more for a 200', async () => {
    const { session, codes } = await signedIn(
      {
        [`${ISSUER}/userinfo`]: () => json({ sub: 'alice' }),
      },
      plain,
    )
    await session.userinfo()
    expect(codes()).toEqual([])
  })
})

/** A fetch answer that never comes; it rejects with the signal's reason once aborted. */
const stall: Handler = (init) =>
  new Promise((_, reject) => {
    init?.signal?.addEventListener('abort', () => {
      reject(init.signal?.reason)
    })
  })

describe('API console and userinfo requests', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('are aborted after 15 s with a timeout alert', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { session, codes } = await signedIn({ [`${ISSUER}/userinfo`]: stall }, plain)
    const sent = session.userinfo()
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1)
    expect(codes()).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    await sent
    expect(codes()).toEqual(['timeout'])
    expect(session.getState().api.busy).toBe(false)
  })

  it('show a redirect as not followed, with no body, and send the token once', async () => {
    const api = `${ISSUER}/api/me`
    const inits: (RequestInit | undefined)[] = []
    const { session, sent, codes } = await signedIn(
      {
        [api]: (init) => {
          inits.push(init)
          return opaqueRedirect()
        },
      },
      plain,
    )
    await session.send({ method: 'GET', url: api, headers: [] })
    expect(inits.map((init) => init?.redirect)).toEqual(['manual'])
    expect(sent).toEqual([api])
    expect(session.getState().api.response).toMatchObject({
      status: 0,
      statusText: 'redirect (not followed)',
      body: '',
      headers: [],
      redirect: true,
    })
    expect(codes()).toEqual([])
  })
})

describe('an API answer nested too deep to print', () => {
  it('is shown as its text, so the panel that pretty-prints it keeps working', async () => {
    const api = `${ISSUER}/api/deep`
    const deep = '['.repeat(20_000) + ']'.repeat(20_000)
    const { session, codes } = await signedIn(
      { [api]: () => new Response(deep, { headers: { 'content-type': 'application/json' } }) },
      plain,
    )
    await session.send({ method: 'GET', url: api, headers: [] })
    const response = session.getState().api.response
    expect(response).toMatchObject({ status: 200, body: deep })
    expect(response).not.toHaveProperty('json')
    expect(() => JSON.stringify(session.getState().api)).not.toThrow()
    expect(codes()).toEqual([])
  })
})

describe('a token answer whose body stalls after the headers', () => {
  it('ends in timeout, not in a JSON parse error', async () => {
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new DOMException('no answer within 15 s', 'TimeoutError'))
      },
    })
    const response = new Response(body, { headers: { 'content-type': 'application/json' } })
    const as = { issuer: ISSUER, token_endpoint: `${ISSUER}/token` }
    const thrown = await oauth
      .processAuthorizationCodeResponse(as, { client_id: 'app' }, response)
      .catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(oauth.OperationProcessingError)
    expect(toAppError(thrown, 'token request')).toMatchObject({
      code: 'timeout',
      message: 'The token request took too long and was cancelled.',
    })
  })
})
