import { describe, expect, it } from 'vitest'
import { createSession } from '../../src/session/session'
import { memoryStore } from '../../src/storage/kv'
import { writeTokens } from '../../src/storage/token-store'
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
  await writeTokens(store, 'idp', tokens)
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
  const noDiscovery = { ...idp, discovery: false }
  const logoutNote = (session: Awaited<ReturnType<typeof signedIn>>['session']) =>
    session
      .getState()
      .timeline.filter((entry) => entry.step === 'logout')
      .map((entry) => entry.note)

  it('says nothing was revoked when the provider names no revocation endpoint', async () => {
    const { session, sent } = await signedIn({}, noDiscovery)
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
      { ...noDiscovery, revocation_endpoint: revocation },
    )
    await session.logout()
    expect(bodies.map((body) => new URLSearchParams(body).get('token'))).toEqual(['RT', 'AT'])
    expect(logoutNote(session)).toEqual([
      'signed out locally; revocation: refresh token revoked (200), access token not revoked (unsupported_token_type)',
    ])
  })
})
