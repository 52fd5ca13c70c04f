import { describe, expect, it } from 'vitest'
import { createSession } from '../../src/console/session'
import { openTransientStorage } from '../../src/console/site-data'
import { memoryStore } from '../../src/core/storage/kv'
import { json, memoryStorage } from './fake-fetch'
import { APP, site } from './sample-profile'

const blocked = (): Storage => {
  throw new DOMException('The operation is insecure.', 'SecurityError')
}

describe('site data blocked', () => {
  it('opens a memory store and says why when sessionStorage throws', () => {
    const opened = openTransientStorage(blocked)
    expect(opened.problem).toBe('The operation is insecure.')
    opened.storage.setItem('k', 'v')
    expect(opened.storage.getItem('k')).toBe('v')
    expect(opened.storage.key(0)).toBe('k')
    expect(opened.storage.length).toBe(1)
  })

  it('uses sessionStorage when it works', () => {
    const storage = memoryStorage()
    expect(openTransientStorage(() => storage)).toEqual({ storage })
  })

  it('says so at start-up, and Log in stays on the page', async () => {
    const navigated: string[] = []
    const opened = openTransientStorage(blocked)
    const session = createSession({
      url: new URL(APP),
      callback: undefined,
      navigate: (url) => navigated.push(url),
      transientStorage: opened.storage,
      ...(opened.problem !== undefined ? { siteDataProblem: opened.problem } : {}),
      store: memoryStore(),
      fetch: () => Promise.resolve(json({ profiles: [site], default: 'site-idp' })),
      now: () => 1_000,
    })
    await session.start()
    const expected = expect.objectContaining({
      code: 'site_data_blocked',
      hint: expect.stringContaining('Allow site data') as unknown,
    }) as unknown
    expect(session.getState().alerts).toEqual([expected])
    await session.login()
    expect(navigated).toEqual([])
    expect(session.getState().alerts).toEqual([expected, expected])
    expect(session.getState().busy).toBe(false)
  })
})
