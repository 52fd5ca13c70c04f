import { cleanup, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { beginStartUp, createSession } from '../../src/console/session'
import type { KeyValueStore } from '../../src/core/tools'
import { memoryStore } from '../../src/core/storage/kv'
import { expectsIdToken, saveTransient } from '../../src/core/protocol/transient'
import { App } from '../../src/ui/App'
import { ApiConsole } from '../../src/ui/lazy-panels'
import { memoryStorage } from './fake-fetch'
import { testProfile } from './test-page'

afterEach(cleanup)

const APP_URL = new URL('https://app.test/console/')
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

const sessionOn = (fetchImpl: typeof fetch, extra: { store?: KeyValueStore } = {}) => ({
  url: APP_URL,
  callback: undefined,
  navigate: () => undefined,
  transientStorage: memoryStorage(),
  store: extra.store ?? memoryStore(),
  fetch: fetchImpl,
  now: () => 1_000,
  online: () => true,
})

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

  it('ends, leaving "Loading…", even when the store cannot be read', async () => {
    const broken: KeyValueStore = {
      ...memoryStore(),
      get: () => Promise.reject(new Error('IndexedDB went away')),
    }
    const site = heldProvidersJson()
    site.release()
    const session = createSession(sessionOn(site.fetch, { store: broken }))
    await session.start().catch(() => undefined)
    expect(session.getState().ready).toBe(true)
  })

  it("loads the API console's code only once start-up is over, so a callback's chunks come first", async () => {
    const site = heldProvidersJson()
    const session = createSession(sessionOn(site.fetch))
    render(() => <App session={session} />)
    const started = session.start()
    // Its code is loaded: without the wait for start-up, the panel would now render.
    await ApiConsole.preload()
    // One task later, every promise callback of that load has run.
    await new Promise((resolve) => setTimeout(resolve, 0))
    const api = screen.getByRole('region', { name: 'API' })
    expect(within(api).getByText('Loading…')).toBeTruthy()
    expect(within(api).queryByRole('button', { name: 'Send' })).toBeNull()
    site.release()
    await started
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy()
  })
})

describe('a callback page', () => {
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
