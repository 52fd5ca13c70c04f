import { describe, expect, it } from 'vitest'
import { createSession } from '../../src/console/session'
import { memoryStore, type KeyValueStore } from '../../src/core/storage/kv'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import { writeTokens } from '../../src/core/storage/token-store'
import { json, memoryStorage } from './fake-fetch'

const APP = 'https://app.test/console/'
const idp = {
  id: 'idp',
  name: 'IdP',
  client_id: 'app',
  authorization_endpoint: 'https://id.test/authorize',
  token_endpoint: 'https://id.test/token',
  userinfo_endpoint: 'https://id.test/userinfo',
  end_session_endpoint: 'https://id.test/session/end',
}
const tokens = {
  access_token: 'AT',
  id_token: 'ID.TOKEN.HINT',
  token_type: 'Bearer' as const,
  received_at: 1,
  expires_at: 10_000_000,
}

/** A session as one page load sees it; `store` and `storage` survive reloads. */
async function pageLoad(options: {
  store: KeyValueStore
  storage: Storage
  profile?: Record<string, unknown>
  callback?: string
}) {
  const navigated: string[] = []
  const calls: { url: string; authorization: string | null }[] = []
  const session = createSession({
    url: new URL(APP),
    callback: options.callback === undefined ? undefined : new URLSearchParams(options.callback),
    navigate: (url) => navigated.push(url),
    transientStorage: options.storage,
    store: options.store,
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url === `${APP}providers.json`)
        return Promise.resolve(json({ profiles: [options.profile ?? idp], default: 'idp' }))
      calls.push({ url, authorization: new Headers(init?.headers).get('authorization') })
      if (url === idp.userinfo_endpoint) return Promise.resolve(json({ sub: 'alice' }))
      return Promise.reject(new Error(`unexpected request ${url}`))
    },
    now: () => 1_000,
  })
  await session.start()
  return { session, navigated, calls }
}

async function signedIn(profile?: Record<string, unknown>) {
  const store = memoryStore()
  const storage = memoryStorage()
  const issuedUnder = { scope: '', pkce: true, ...(profile ?? idp) } as Parameters<
    typeof serverFingerprint
  >[0]
  await writeTokens(store, 'idp', { ...tokens, server: serverFingerprint(issuedUnder) })
  const load = await pageLoad({ store, storage, ...(profile ? { profile } : {}) })
  return { store, storage, ...load }
}

describe('RP-initiated logout', () => {
  it('offers End provider session after Log out and sends the ID token as the hint', async () => {
    const { session, navigated, storage } = await signedIn()
    expect(session.getState().endSession).toBeUndefined()
    await session.logout()
    expect(session.getState().endSession).toEqual({ profileName: 'IdP' })
    session.endProviderSession()
    const url = new URL(navigated[0] ?? '')
    expect(url.origin + url.pathname).toBe(idp.end_session_endpoint)
    expect(url.searchParams.get('id_token_hint')).toBe('ID.TOKEN.HINT')
    expect(url.searchParams.get('client_id')).toBe('app')
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(APP)
    expect(session.getState().endSession).toBeUndefined()
    const stored = Array.from({ length: storage.length }, (_, i) =>
      storage.getItem(storage.key(i) ?? ''),
    )
    expect(stored).toHaveLength(1)
    expect(stored.join()).not.toContain('ID.TOKEN.HINT')
  })

  it('accepts the return with its state, and refuses any other state with an alert', async () => {
    const { session, navigated, store, storage } = await signedIn()
    await session.logout()
    session.endProviderSession()
    const state = new URL(navigated[0] ?? '').searchParams.get('state') ?? ''

    const forged = await pageLoad({ store, storage, callback: 'state=forged' })
    expect(forged.session.getState().alerts.map((a) => a.code)).toEqual(['state_mismatch'])

    const back = await pageLoad({ store, storage, callback: `state=${state}` })
    expect(back.session.getState().alerts).toEqual([])
    expect(back.session.getState().timeline.at(-1)?.note).toMatch(/state checked/)
    expect(storage.length).toBe(0)
  })

  it('offers nothing when the provider has no end_session_endpoint', async () => {
    const { session } = await signedIn({ ...idp, end_session_endpoint: undefined })
    await session.logout()
    expect(session.getState().endSession).toBeUndefined()
  })
})

describe('userinfo', () => {
  it("calls the profile's userinfo endpoint with the bearer token and shows the answer", async () => {
    const { session, calls } = await signedIn()
    await session.userinfo()
    expect(calls).toEqual([{ url: idp.userinfo_endpoint, authorization: 'Bearer AT' }])
    expect(session.getState().api.response).toMatchObject({ status: 200, json: { sub: 'alice' } })
  })

  it('says so when the profile has no userinfo endpoint', async () => {
    const { session, calls } = await signedIn({ ...idp, userinfo_endpoint: undefined })
    await session.userinfo()
    expect(calls).toEqual([])
    expect(session.getState().alerts.map((a) => a.code)).toEqual(['invalid_profile'])
  })
})
