import { describe, expect, it, vi } from 'vitest'
import { createSession } from '../../src/console/session'
import type { TabMessage } from '../../src/core/refresh/token-getter'
import { memoryStore, type KeyValueStore } from '../../src/core/storage/kv'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import type { Profile } from '../../src/core/profile/types'
import { readHeldTokens, writeTokens } from '../../src/core/storage/token-store'
import { json, memoryStorage } from './fake-fetch'
import { APP, site } from './sample-profile'
import { exportProfiles } from '../../src/console/profiles/export'

const mine = { ...site, id: 'mine', name: 'Mine' }

/** A fetch serving providers.json and the given JSON answers; any other request fails. */
function fakeFetch(answers: Record<string, unknown> = {}) {
  const sent: string[] = []
  const impl = (input: RequestInfo | URL): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input)
    sent.push(url)
    if (url === `${APP}providers.json`)
      return Promise.resolve(json({ profiles: [site], default: 'site-idp' }))
    if (url in answers) return Promise.resolve(json(answers[url]))
    return Promise.reject(new Error(`unexpected request ${url}`))
  }
  return { fetch: impl, sent }
}

/** A BroadcastChannel between the tabs of one test: a message reaches every other tab. */
function channelHub() {
  const listeners = new Map<number, (message: TabMessage) => void>()
  let tabs = 0
  return () => {
    const tab = ++tabs
    return {
      postMessage: (message: unknown) => {
        for (const [other, listener] of listeners)
          if (other !== tab) listener(structuredClone(message) as TabMessage)
      },
      subscribe: (listener: (message: TabMessage) => void) => void listeners.set(tab, listener),
    }
  }
}

async function started(
  store: KeyValueStore = memoryStore(),
  fetcher = fakeFetch(),
  channel?: ReturnType<ReturnType<typeof channelHub>>,
) {
  const session = createSession({
    url: new URL(APP),
    callback: undefined,
    navigate: () => undefined,
    transientStorage: memoryStorage(),
    store,
    fetch: fetcher.fetch,
    now: () => 1_000,
    ...(channel ? { channel } : {}),
  })
  await session.start()
  return { session, store, sent: fetcher.sent }
}

/** Tokens as issued under `profile` (stamped with its server fingerprint). */
const tokensOf = (profile: Omit<Profile, 'scope' | 'pkce'>) => ({
  access_token: 'AT',
  token_type: 'Bearer',
  received_at: 1,
  server: serverFingerprint({ ...profile, scope: '', pkce: true }),
})
const tokens = tokensOf(site)
const names = (session: Awaited<ReturnType<typeof started>>['session']) =>
  session.getState().profiles.map((entry) => `${entry.profile.name} (${entry.source})`)

describe('saveProfile', () => {
  it('saves, lists and selects a valid profile', async () => {
    const { session } = await started()
    expect(await session.saveProfile(mine)).toMatchObject({ ok: true, profile: { id: 'mine' } })
    expect(names(session)).toContain('Mine (user)')
    expect(session.getState().selectedId).toBe('mine')
  })

  it('refuses an invalid profile with every problem named by field, and saves nothing', async () => {
    const { session, store } = await started()
    const outcome = await session.saveProfile({
      ...mine,
      token_endpoint: 'javascript:x',
      client_id: '',
    })
    expect(outcome).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(/^Client ID: "client_id" is required/),
        expect.stringMatching(
          /^Token endpoint: "token_endpoint" "javascript:x" uses the javascript:/,
        ),
      ],
    })
    expect(await store.get('profiles')).toBeUndefined()
    expect(names(session)).not.toContain('Mine (user)')
  })

  it('refuses a new profile whose id is taken, unless it replaces it on purpose', async () => {
    const { session } = await started()
    const outcome = await session.saveProfile({ ...mine, id: 'site-idp' })
    expect(outcome).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(/^ID: "id" "site-idp" is already used by the profile "Site IdP"/),
      ],
    })
    expect((await session.saveProfile({ ...site, name: 'Edited' }, { replace: true })).ok).toBe(
      true,
    )
  })

  it("puts a user's copy of a site or built-in profile in the original's place", async () => {
    const { session } = await started()
    await session.saveProfile({ ...site, name: 'My site IdP' }, { replace: true })
    await session.saveProfile(
      { id: 'nexus-mods', preset: 'nexus-mods', client_id: 'mine', name: 'My Nexus' },
      { replace: true },
    )
    expect(names(session)).toEqual([
      'My site IdP (user)',
      'My Nexus (user)',
      'MyNickname (builtin)',
    ])
    expect(session.getState().profiles.map((entry) => entry.overrides)).toEqual([
      'site',
      'builtin',
      undefined,
    ])
  })

  it('keeps the tokens when only the name changes, and forgets them when the server changes', async () => {
    const { session, store } = await started()
    await writeTokens(store, 'site-idp', tokens)
    await session.saveProfile({ ...site, name: 'Renamed' }, { replace: true })
    expect(session.getState().tokens?.access_token).toBe('AT')

    await store.set('metadata:site-idp', { issuer: 'x' })
    await session.saveProfile(
      { ...site, token_endpoint: 'https://elsewhere.test/token' },
      { replace: true },
    )
    expect(await readHeldTokens(store, 'site-idp')).toBeUndefined()
    expect(await store.get('metadata:site-idp')).toBeUndefined()
    expect(session.getState().tokens).toBeUndefined()
  })
})

describe('importProfiles', () => {
  it('saves the good profiles and raises one invalid_profile alert per refused one', async () => {
    const { session } = await started()
    const outcome = await session.importProfiles(
      JSON.stringify([mine, { ...mine, id: 'evil', name: 'Evil', token_endpoint: 'data:,x' }]),
    )
    expect(outcome).toMatchObject({ imported: [{ id: 'mine' }], refused: 1 })
    expect(names(session)).toContain('Mine (user)')
    expect(names(session)).not.toContain('Evil (user)')
    const alerts = session.getState().alerts
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ code: 'invalid_profile' })
    expect(alerts[0]?.message).toContain('"evil"')
    expect(alerts[0]?.message).toContain('Token endpoint: "token_endpoint" "data:,x"')
    // The selection stays where it was.
    expect(session.getState().selectedId).toBe('site-idp')
  })

  it('reports text that is not JSON', async () => {
    const { session } = await started()
    expect(await session.importProfiles('nope')).toMatchObject({ imported: [], refused: 1 })
    expect(session.getState().alerts[0]?.message).toContain('not valid JSON')
  })

  it("forgets a replaced profile's tokens when the import points it elsewhere", async () => {
    const { session, store } = await started()
    await writeTokens(store, 'site-idp', tokens)
    await session.importProfiles(
      JSON.stringify({ profiles: [{ ...site, client_id: 'someone-else' }] }),
      { replace: true },
    )
    expect(await readHeldTokens(store, 'site-idp')).toBeUndefined()
  })

  it('asks before replacing a listed profile with other servers, and saves nothing', async () => {
    const { session, store } = await started()
    await writeTokens(store, 'site-idp', tokens)
    const moved = JSON.stringify([
      { ...site, name: 'Moved', token_endpoint: 'https://evil.test/token' },
      { id: 'nexus-mods', preset: 'nexus-mods', client_id: 'x', issuer: 'https://evil.test' },
      mine,
    ])
    const outcome = await session.importProfiles(moved)
    expect(outcome).toEqual({
      imported: [],
      refused: 0,
      warnings: [],
      replaces: [
        { id: 'site-idp', name: 'Site IdP', fields: ['token_endpoint'], moves: true },
        {
          id: 'nexus-mods',
          name: 'Nexus Mods',
          fields: [
            'issuer',
            'authorization_endpoint',
            'token_endpoint',
            'revocation_endpoint',
            'userinfo_endpoint',
            'jwks_uri',
            'client_id',
            'requests',
            // Pointed elsewhere, the preset no longer lends its published key.
            'verification_keys',
          ],
          moves: true,
        },
      ],
    })
    expect(await store.get('profiles')).toBeUndefined()
    expect(names(session)).not.toContain('Mine (user)')
    expect(await readHeldTokens(store, 'site-idp')).toMatchObject({ access_token: 'AT' })

    const confirmed = await session.importProfiles(moved, { replace: true })
    expect(confirmed.imported.map((profile) => profile.id)).toEqual([
      'site-idp',
      'nexus-mods',
      'mine',
    ])
    expect(names(session)).toContain('Moved (user)')
  })

  it('asks before an import turns DPoP off, and forgets the key-bound tokens only once confirmed', async () => {
    const { session, store } = await started()
    await session.importProfiles(JSON.stringify([{ ...site, dpop: true }]), { replace: true })
    await writeTokens(store, 'site-idp', tokens)
    const outcome = await session.importProfiles(JSON.stringify([{ ...site, dpop: false }]))
    expect(outcome.replaces).toEqual([
      { id: 'site-idp', name: 'Site IdP', fields: ['dpop'], moves: true },
    ])
    expect(await readHeldTokens(store, 'site-idp')).toMatchObject({ access_token: 'AT' })
    await session.importProfiles(JSON.stringify([{ ...site, dpop: false }]), { replace: true })
    expect(await readHeldTokens(store, 'site-idp')).toBeUndefined()
  })

  it('asks before an import brings its own verification keys or turns PKCE off, on the same server', async () => {
    const { session, store } = await started()
    await writeTokens(store, 'site-idp', tokens)
    const key = { kty: 'RSA', n: 'attacker', e: 'AQAB' }
    const outcome = await session.importProfiles(
      JSON.stringify([{ ...site, verification_keys: [key], pkce: false, client_secret: 's' }]),
    )
    expect(outcome.replaces).toEqual([
      { id: 'site-idp', name: 'Site IdP', fields: ['pkce', 'verification_keys'], moves: false },
    ])
    expect(await store.get('profiles')).toBeUndefined()
    // Confirmed: saved, and the tokens stay (the server is the same).
    await session.importProfiles(
      JSON.stringify([{ ...site, verification_keys: [key], pkce: false, client_secret: 's' }]),
      { replace: true },
    )
    expect(await readHeldTokens(store, 'site-idp')).toMatchObject({ access_token: 'AT' })
  })

  it('asks before an import drops openid from the scope (no nonce, no ID token to check)', async () => {
    const { session } = await started()
    await session.importProfiles(JSON.stringify([{ ...site, scope: 'openid profile' }]), {
      replace: true,
    })
    const outcome = await session.importProfiles(JSON.stringify([{ ...site, scope: 'profile' }]))
    expect(outcome.replaces).toEqual([
      { id: 'site-idp', name: 'Site IdP', fields: ['scope'], moves: false },
    ])
    // Other scope changes are the user's business: no question.
    const wider = await session.importProfiles(
      JSON.stringify([{ ...site, scope: 'openid profile email' }]),
    )
    expect(wider.replaces).toEqual([])
  })

  it('replaces a listed profile on the same server without asking', async () => {
    const { session } = await started()
    const outcome = await session.importProfiles(JSON.stringify([{ ...site, name: 'Renamed' }]))
    expect(outcome).toMatchObject({ imported: [{ id: 'site-idp' }], replaces: [] })
  })

  it('neither stores nor exports a misspelled field', async () => {
    const { session, store } = await started()
    const outcome = await session.importProfiles(
      JSON.stringify([{ ...mine, clientSecret: 'hunter2' }]),
    )
    expect(outcome.warnings.join()).toContain('unknown field "clientSecret" is ignored')
    expect(JSON.stringify(await store.get('profiles'))).not.toContain('hunter2')
    expect(exportProfiles(session.getState().profiles, true).json).not.toContain('hunter2')
  })
})

describe('exportProfiles', () => {
  it("exports the site's and the user's profiles, secrets only when asked", async () => {
    const { session } = await started()
    await session.saveProfile({ ...mine, client_secret: 'hunter2' })
    const plain = exportProfiles(session.getState().profiles, false)
    expect(JSON.parse(plain.json).profiles.map((p: { id: string }) => p.id)).toEqual([
      'site-idp',
      'mine',
    ])
    expect(plain.json).not.toContain('hunter2')
    expect(exportProfiles(session.getState().profiles, true).json).toContain(
      '"client_secret": "hunter2"',
    )
  })

  it('leaves out request headers named as credentials unless asked, and counts them', async () => {
    const { session } = await started()
    const headers = { Accept: 'application/json', 'X-API-Key': 'k-123', 'Private-Token': 'p-4' }
    await session.saveProfile({
      ...mine,
      requests: [{ name: 'me', method: 'GET', url: 'https://api.test/me', headers }],
    })
    const plain = exportProfiles(session.getState().profiles, false)
    expect(plain.json).not.toMatch(/k-123|p-4/)
    expect(plain.json).toContain('"Accept": "application/json"')
    expect(plain.secretsOmitted).toBe(2)
    expect(exportProfiles(session.getState().profiles, true).json).toContain('"X-API-Key": "k-123"')
  })
})

describe('profiles across tabs', () => {
  it('a profile re-pointed in one tab stops the other tab from using its old tokens', async () => {
    const store = memoryStore()
    const hub = channelHub()
    await writeTokens(store, 'site-idp', tokens)
    const one = await started(store, fakeFetch(), hub())
    const two = await started(store, fakeFetch(), hub())
    expect(two.session.getState().tokens?.access_token).toBe('AT')

    await one.session.saveProfile(
      { ...site, token_endpoint: 'https://elsewhere.test/token' },
      { replace: true },
    )
    // Tab two lists the new version and holds no token for it.
    await vi.waitFor(() => {
      expect(two.session.getState().profiles[0]?.profile.token_endpoint).toBe(
        'https://elsewhere.test/token',
      )
      expect(two.session.getState().tokens).toBeUndefined()
    })
  })
})

describe('deleteProfile', () => {
  it("deletes the user's profile with its tokens and selects another", async () => {
    const { session, store } = await started()
    await session.saveProfile(mine)
    await writeTokens(store, 'mine', tokensOf(mine))
    await session.deleteProfile('mine')
    expect(names(session)).not.toContain('Mine (user)')
    expect(await readHeldTokens(store, 'mine')).toBeUndefined()
    expect(session.getState().selectedId).toBe('site-idp')
  })

  it('brings back the original of a copy, keeping tokens for the same server', async () => {
    const { session, store } = await started()
    await session.saveProfile({ ...site, name: 'Copy' }, { replace: true })
    await writeTokens(store, 'site-idp', tokens)
    await session.deleteProfile('site-idp')
    expect(names(session)[0]).toBe('Site IdP (site)')
    expect(session.getState().tokens?.access_token).toBe('AT')
  })

  it('never deletes a site or built-in profile', async () => {
    const { session } = await started()
    await session.deleteProfile('site-idp')
    await session.deleteProfile('nexus-mods')
    expect(names(session)).toEqual([
      'Site IdP (site)',
      'Nexus Mods (builtin)',
      'MyNickname (builtin)',
    ])
  })
})

describe('discoverMetadata', () => {
  it('refuses a non-https issuer without sending anything', async () => {
    const { session, sent } = await started()
    const before = sent.length
    const outcome = await session.discoverMetadata('javascript:alert(1)')
    expect(outcome).toMatchObject({ ok: false, alert: { code: 'invalid_profile' } })
    expect(!outcome.ok && outcome.alert.message).toMatch(/^Issuer: /)
    expect(sent.length).toBe(before)
  })

  it('returns the metadata of the issuer, and refuses metadata naming another one', async () => {
    const issuer = 'https://id.acme.test'
    const metadata = { issuer, token_endpoint: `${issuer}/token` }
    const wellKnown = `${issuer}/.well-known/openid-configuration`
    const good = await started(memoryStore(), fakeFetch({ [wellKnown]: metadata }))
    expect(await good.session.discoverMetadata(issuer)).toMatchObject({ ok: true, metadata })

    const mixUp = { [wellKnown]: { ...metadata, issuer: 'https://evil.test' } }
    const bad = await started(memoryStore(), fakeFetch(mixUp))
    expect(await bad.session.discoverMetadata(issuer)).toMatchObject({
      ok: false,
      alert: { code: 'issuer_mismatch' },
    })
  })
})
