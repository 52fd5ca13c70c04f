import { test as base, expect, type Page } from '@playwright/test'
import { demoProfile, startOidcProvider } from '../providers/oidc.js'
import { startStaticServer } from '../providers/static-server.js'
import { startMyNicknameSim } from '../providers/mynickname-sim.js'
import { startNexusSim } from '../providers/nexus-sim.js'

/** The app is served from a sub-path, as on a static host, to prove relative URLs work. */
const BASE_PATH = '/tools/pkce-console/'

/** A second copy of the app on the same origin. */
const STAGING_PATH = '/staging/pkce-console/'

/**
 * The app's namespace on that path (`src/core/storage/namespace.ts`): the name of its IndexedDB
 * database and the prefix of its sessionStorage keys (`<namespace>|…`).
 */
export const APP_NAMESPACE = `pkce-console:${BASE_PATH}`

type OidcProvider = Awaited<ReturnType<typeof startOidcProvider>>

export interface Servers {
  appUrl: string
  /** The same build on the same origin under another path: a second deployment (staging). */
  stagingUrl: string
  appOrigin: string
  provider: OidcProvider
  /** What the app's providers.json answers; tests may replace it (undefined = 404). */
  setProviders(document: unknown): void
  /**
   * Changes files as the app server serves them, keyed by base path + file (`…/sw.js`;
   * `…/index.html` for `…/`), as a new deployment would; undefined serves the build as it is.
   */
  setRewrite(rewrite: ((pathname: string, body: Buffer) => Buffer | string) | undefined): void
}

/** The Nexus Mods and MyNickname simulators, registered for the app's URL and origin. */
export interface Simulators {
  nexus: Awaited<ReturnType<typeof startNexusSim>>
  myNickname: Awaited<ReturnType<typeof startMyNicknameSim>>
}

/**
 * One app server and one oidc-provider per worker (the simulators too, started only for tests
 * that use `sims`); each test starts from their defaults. `cspViolations` watches every page of
 * every test (checklist item 22): a Content-Security-Policy violation, reported by the page's
 * `securitypolicyviolation` event or by Chromium's console, fails the test. A test that provokes
 * one on purpose empties the list after checking it.
 */
export const test = base.extend<
  { servers: Servers; sims: Simulators; cspViolations: string[] },
  { workerServers: Servers; workerSims: Simulators }
>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = []
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(
            `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${event.documentURI}`,
          )
        })
      })
      context.on('console', (message) => {
        const text = message.text()
        if (/CSP violation|Content Security Policy/i.test(text)) violations.push(text)
      })
      await use(violations)
      expect(violations, 'no Content-Security-Policy violation').toEqual([])
    },
    { auto: true },
  ],
  workerServers: [
    async ({}, use) => {
      let providers: unknown
      let rewrite: ((pathname: string, body: Buffer) => Buffer | string) | undefined
      const app = await startStaticServer({
        basePath: BASE_PATH,
        otherBasePaths: [STAGING_PATH],
        providers: () => providers,
        rewrite: () => rewrite,
      })
      const stagingUrl = `${app.origin}${STAGING_PATH}`
      const provider = await startOidcProvider({
        redirectUris: [app.url, stagingUrl],
        accessTokenTTL: 300,
        quiet: true,
      })
      const defaults = () => ({ profiles: [demoProfile(provider.issuer)], default: 'demo' })
      providers = defaults()
      await use({
        appUrl: app.url,
        stagingUrl,
        appOrigin: app.origin,
        provider,
        setProviders(document) {
          providers = document === 'default' ? defaults() : document
        },
        setRewrite(next) {
          rewrite = next
        },
      })
      await provider.close()
      await app.close()
    },
    { scope: 'worker' },
  ],
  workerSims: [
    async ({ workerServers }, use) => {
      const redirectUris = [workerServers.appUrl]
      const nexus = await startNexusSim({ redirectUris })
      const myNickname = await startMyNicknameSim({ redirectUris })
      await use({ nexus, myNickname })
      await nexus.close()
      await myNickname.close()
    },
    { scope: 'worker' },
  ],
  servers: async ({ workerServers }, use) => {
    workerServers.provider.reset()
    workerServers.setProviders('default')
    workerServers.setRewrite(undefined)
    await use(workerServers)
  },
  sims: async ({ workerSims }, use) => {
    workerSims.nexus.reset()
    workerSims.myNickname.reset()
    await use(workerSims)
  },
})

export { expect }

/** Signs in at oidc-provider's dev login and consent pages. */
export async function signInAtProvider(page: Page, name = 'alice'): Promise<void> {
  await page.getByPlaceholder('Enter any login').fill(name)
  await page.getByPlaceholder('and password').fill('any password')
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
}

/** Opens the app, logs in to the demo provider and waits until the session is signed in. */
export async function logIn(page: Page, servers: Servers, name = 'alice'): Promise<void> {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page, name)
  await expect(page.getByRole('status')).toHaveText('Signed in')
}

/** Everything the page holds outside IndexedDB, as one string to search for token values. */
export async function nonIdbStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts = [
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
      location.href,
    ]
    // Cache Storage: the cache names and every stored URL (the service worker's; no query).
    for (const name of await caches.keys()) {
      parts.push(name)
      for (const request of await (await caches.open(name)).keys()) parts.push(request.url)
    }
    return parts.join('\n')
  })
}

/** The tokens the app stored in IndexedDB for `profileId`. */
export async function idbTokens(
  page: Page,
  profileId = 'demo',
): Promise<Record<string, unknown> | undefined> {
  return page.evaluate(
    ({ id, database }) =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const open = indexedDB.open(database)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains('kv')) {
            resolve(undefined)
            return
          }
          const get = db.transaction('kv').objectStore('kv').get(`tokens:${id}`)
          get.onsuccess = () => resolve(get.result as Record<string, unknown> | undefined)
          get.onerror = () => reject(get.error)
        }
      }),
    { id: profileId, database: APP_NAMESPACE },
  )
}

/** Opens the app and logs in at a simulator, which approves at once. */
export async function logInApproved(page: Page, servers: Servers): Promise<void> {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed in')
}

/** Picks an API console preset, sends it, waits for its status and returns the body region. */
export async function sendPreset(page: Page, name: string, status = '200 OK') {
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('combobox', { name: 'Request' }).selectOption({ label: name })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText(status)
  return api.getByRole('region', { name: 'Response body' })
}
