import { describe, expect, it } from 'vitest'
import { isPendingLogin } from '../../src/core/protocol/transient'
import { takeCallbackFromAddressBar } from '../../src/console/address-bar'
import { readFragmentCallback } from '../../src/console/fragment-callback'
import { createSession } from '../../src/console/session'
import { memoryStore } from '../../src/core/storage/kv'
import { json, memoryStorage } from './fake-fetch'
import { APP, site } from './sample-profile'

function sessionWith(storage: Storage, fragment?: URLSearchParams) {
  const navigated: string[] = []
  const session = createSession({
    url: new URL(APP),
    callback: undefined,
    ...(fragment !== undefined ? { fragmentCallback: fragment } : {}),
    navigate: (url) => navigated.push(url),
    transientStorage: storage,
    store: memoryStore(),
    fetch: (input) => {
      const url = input instanceof Request ? input.url : input.toString()
      if (url === `${APP}providers.json`)
        return Promise.resolve(json({ profiles: [site], default: 'site-idp' }))
      return Promise.reject(new Error(`unexpected request ${url}`))
    },
    now: () => 1_000,
  })
  return { session, navigated }
}

describe('a response in the URL fragment', () => {
  it('is recognised only when the fragment carries response parameters', () => {
    expect(readFragmentCallback(new URL(`${APP}#code=c&state=s`))?.get('code')).toBe('c')
    expect(readFragmentCallback(new URL(`${APP}#error=access_denied`))?.get('error')).toBe(
      'access_denied',
    )
    expect(readFragmentCallback(new URL(`${APP}#claims`))).toBeUndefined()
  })

  it('leaves the address bar before anything renders', () => {
    window.history.replaceState(null, '', '/console/?tab=2#code=secret-code&state=s')
    const taken = takeCallbackFromAddressBar()
    expect(window.location.hash).toBe('')
    expect(window.location.search).toBe('?tab=2')
    expect(taken.fragment?.get('code')).toBe('secret-code')
    expect(taken.callback).toBeUndefined()
    expect(taken.url.href).not.toContain('secret-code')
  })

  it('leaves the address bar with nothing a provider appended to a callback in the query', () => {
    window.history.replaceState(null, '', '/console/?code=c&state=s&authuser=0&hd=example.com')
    const taken = takeCallbackFromAddressBar()
    expect(window.location.href).toBe(`${window.location.origin}/console/`)
    expect(taken.callback?.get('authuser')).toBe('0')
    expect(taken.url.search).toBe('')
  })

  it('is refused with an alert, and its login record is deleted', async () => {
    const storage = memoryStorage()
    const first = sessionWith(storage)
    await first.session.start()
    await first.session.login()
    const state = new URL(first.navigated[0] ?? '').searchParams.get('state') ?? ''
    expect(isPendingLogin(storage, state)).toBe(true)

    const back = sessionWith(storage, new URLSearchParams({ code: 'c', state }))
    await back.session.start()
    expect(back.session.getState().alerts).toEqual([
      expect.objectContaining({
        code: 'fragment_response',
        hint: expect.stringContaining('press Log in again') as unknown,
      }),
    ])
    expect(isPendingLogin(storage, state)).toBe(false)
    expect(back.session.getState().tokens).toBeUndefined()
  })
})
