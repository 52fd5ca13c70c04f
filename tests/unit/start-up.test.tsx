import { cleanup, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { beginStartUp, createSession } from '../../src/console/session'
import type { KeyValueStore } from '../../src/core/tools'
import { memoryStore } from '../../src/core/storage/kv'
import { expectsIdToken, isPendingLogin, saveTransient } from '../../src/core/protocol/transient'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import { writeTokens } from '../../src/core/storage/token-store'
import { App } from '../../src/ui/App'
import { ApiConsole, Decoder, Timeline } from '../../src/ui/lazy-panels'
import { memoryStorage } from './fake-fetch'
import { testProfile } from './test-page'
import { CONSOLE_URL, consolePage } from './console-page'

afterEach(cleanup)

const APP_URL = new URL(CONSOLE_URL)
const providersFile = JSON.stringify({ profiles: [{ ...testProfile, id: 'site', name: 'Site' }] })

/** A fetch that counts the requests for providers.json and answers them when `release` runs. */
function heldProvidersJson() {
  const asked: string[] = []
  let release: () => void = () => undefined
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  const fetchImpl: typeof fetch = async (input) => {
    const url = input instanceof Request ? input.url : String(input)
    asked.push(url)
    await released
    return new Response(providersFile, { headers: { 'content-type': 'application/json' } })
  }
  return { fetch: fetchImpl, asked, release }
}

const sessionOn = (fetchImpl: typeof fetch, extra: { store?: KeyValueStore } = {}) =>
  consolePage({ fetch: fetchImpl, online: () => true, ...extra })

describe('start-up', () => {
  it('fetches providers.json before IndexedDB is open, and lists it without asking again', async () => {
    const site = heldProvidersJson()
    // The page calls this first, before the store exists.
    const siteProfiles = beginStartUp(APP_URL, undefined, site.fetch, memoryStorage())
    expect(site.asked).toEqual(['https://app.test/console/providers.json'])
    const session = createSession({ ...sessionOn(site.fetch), siteProfiles })
    const started = session.start()
    site.release()
    await started
    expect(session.getState().profiles.map((entry) => entry.profile.id)).toContain('site')
    expect(site.asked).toHaveLength(1)
  })

  it('that fails says so in an alert, and still ends "Loading…"', async () => {
    const broken: KeyValueStore = {
      ...memoryStore(),
      get: () => Promise.reject(new Error('IndexedDB went away')),
    }
    const site = heldProvidersJson()
    site.release()
    const session = createSession(sessionOn(site.fetch, { store: broken }))
    await session.start()
    expect(session.getState().ready).toBe(true)
    expect(
      session
        .getState()
        .alerts.map((alert) => alert.message)
        .join(),
    ).toContain('IndexedDB went away')
  })

  it('renders the Decoder at once on a page without a callback, before providers.json answers', async () => {
    const site = heldProvidersJson()
    const session = createSession(sessionOn(site.fetch))
    render(() => <App session={session} />)
    const started = session.start()
    expect(await screen.findByRole('button', { name: 'Decode' })).toBeTruthy()
    // Start-up is still waiting for providers.json.
    expect(screen.getByRole('status').textContent).toBe('Loading…')
    site.release()
    await started
  })
})

describe('a callback page', () => {
  it("renders the API console, Timeline and Decoder only once start-up is over, so the exchange's chunks come first", async () => {
    const site = heldProvidersJson()
    // No login waits for this state: start-up ends in an alert, which is all this test needs.
    const session = createSession({
      ...sessionOn(site.fetch),
      callback: new URLSearchParams('code=c&state=s'),
    })
    render(() => <App session={session} />)
    const started = session.start()
    // Their code is loaded: without the wait for start-up, the panels would now render.
    await Promise.all([ApiConsole.preload(), Timeline.preload(), Decoder.preload()])
    // One task later, every promise callback of that load has run.
    await new Promise((resolve) => setTimeout(resolve, 0))
    for (const name of ['API', 'Timeline', 'Decoder']) {
      expect(within(screen.getByRole('region', { name })).getByText('Loading…')).toBeTruthy()
    }
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull()
    site.release()
    await started
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy()
    expect(await screen.findByRole('button', { name: 'Decode' })).toBeTruthy()
  })

  it("whose login's profile is gone still loads the selected profile's held session", async () => {
    const store = memoryStore()
    const site = { ...testProfile, id: 'site', name: 'Site' }
    const issuedUnder = { pkce: true, ...site } as Parameters<typeof serverFingerprint>[0]
    await writeTokens(store, 'site', {
      access_token: 'held',
      token_type: 'Bearer',
      received_at: 1,
      expires_at: 10_000_000,
      server: serverFingerprint(issuedUnder),
    })
    await store.set('selected', 'site')
    const transientStorage = memoryStorage()
    saveTransient(transientStorage, {
      verifier: 'v',
      state: 's',
      profile_id: 'gone',
      created_at: 900,
    })
    const held = heldProvidersJson()
    held.release()
    const session = createSession({
      ...sessionOn(held.fetch, { store }),
      transientStorage,
      callback: new URLSearchParams('code=c&state=s'),
    })
    await session.start()
    expect(session.getState().alerts.map((alert) => alert.code)).toEqual(['invalid_profile'])
    expect(session.getState().tokens?.access_token).toBe('held')
    // Nothing will ever be exchanged for that login: its verifier is gone at once.
    expect(isPendingLogin(transientStorage, 's')).toBe(false)
  })

  it('knows from its login record whether an ID token is coming (jose then loads at once)', () => {
    const storage = memoryStorage()
    const record = { verifier: 'v', profile_id: 'idp', created_at: 1 }
    saveTransient(storage, { ...record, state: 'oidc', nonce: 'n' })
    saveTransient(storage, { ...record, state: 'oauth' })
    storage.setItem('pkce-console:login:broken', '{')
    expect(expectsIdToken(storage, 'oidc')).toBe(true)
    expect(expectsIdToken(storage, 'oauth')).toBe(false)
    expect(expectsIdToken(storage, 'broken')).toBe(false)
    expect(expectsIdToken(storage, 'unknown')).toBe(false)
  })
})
