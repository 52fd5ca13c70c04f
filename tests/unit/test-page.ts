import type { AuthEnvironment, TabChannel } from '../../src/core'
import type { KeyValueStore } from '../../src/core/storage/kv'
import type { LockManagerLike } from '../../src/core/tools'
import { memoryStorage } from './fake-fetch'

/** The app's address in the library's unit tests, and the provider's issuer. */
export const APP = 'https://app.test/spa/'
export const ISSUER = 'https://id.test'

/** A public client of the test provider, without discovery; tests add or override fields. */
export const testProfile = {
  id: 'idp',
  name: 'IdP',
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/revoke`,
  client_id: 'spa',
  scope: 'api',
}

/**
 * One page of a test browser, as the library sees it: its own address bar and sessionStorage,
 * the given fetch, store, locks and channel, real timers (fake ones when the test installs them).
 * `open(url)` is the provider's redirect back; `navigated` lists where the library sent the page.
 */
export function testPage(options: {
  fetch: typeof fetch
  store: KeyValueStore
  at?: string
  locks?: LockManagerLike
  channel?: () => TabChannel
}) {
  let href = options.at ?? APP
  const navigated: string[] = []
  const environment: AuthEnvironment = {
    fetch: options.fetch,
    now: () => Date.now(),
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    openStore: () => Promise.resolve(options.store),
    transientStorage: memoryStorage(),
    ...(options.locks ? { locks: options.locks } : {}),
    ...(options.channel ? { openChannel: options.channel } : {}),
    namespace: 'test',
    location: () => new URL(href),
    replaceUrl: (url) => (href = url),
    navigate: (url) => navigated.push(url),
  }
  return { environment, navigated, open: (url: string) => (href = url), href: () => href }
}

/** The provider's redirect back to the app with a code, for the login that went to `login`. */
export const callbackFor = (login: URL, code = 'c0de') =>
  `${APP}?code=${code}&state=${login.searchParams.get('state') ?? ''}&iss=${ISSUER}`
