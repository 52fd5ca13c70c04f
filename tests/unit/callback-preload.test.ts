import { describe, expect, it, vi } from 'vitest'
import { preloadCallback } from '../../src/core/tools'
import { saveTransient } from '../../src/core/protocol/transient'
import { beginStartUp } from '../../src/console/start-up'
import { memoryStorage } from './fake-fetch'

// The preload is watched, not run: which code a callback page asks for before IndexedDB opens.
vi.mock('../../src/core/tools', async (original) => ({
  ...(await original<typeof import('../../src/core/tools')>()),
  preloadCallback: vi.fn(() => Promise.resolve()),
}))

const providersJson = () => Promise.resolve(new Response('{}'))

describe("a callback page's first requests", () => {
  it('include jose when the login sent a nonce, and not when it did not', () => {
    const storage = memoryStorage()
    const record = { verifier: 'v', profile_id: 'idp', created_at: 1 }
    saveTransient(storage, { ...record, state: 'oidc', nonce: 'n' })
    saveTransient(storage, { ...record, state: 'oauth' })
    const url = new URL('https://app.test/')
    void beginStartUp(url, new URLSearchParams('code=c&state=oidc'), providersJson, storage)
    void beginStartUp(url, new URLSearchParams('code=c&state=oauth'), providersJson, storage)
    void beginStartUp(url, undefined, providersJson, storage)
    expect(vi.mocked(preloadCallback).mock.calls).toEqual([
      [{ idToken: true }],
      [{ idToken: false }],
    ])
  })
})
