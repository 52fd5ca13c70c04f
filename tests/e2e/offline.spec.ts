// Offline and install (ui-contract.md, "offline"): the manifest, the service worker's caches, and
// what the app does with no network once it has been loaded online.
import type { Page } from '@playwright/test'
import { expect, idbTokens, signInAtProvider, test, type Servers } from './fixtures'

/** Resolves once a service worker is active for the page's deployment and controls the page. */
async function workerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
    if (navigator.serviceWorker.controller) return
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
    )
  })
}

/** Every cache of the origin, with the URLs it holds and each stored body as text. */
async function cacheContents(page: Page) {
  return page.evaluate(async () => {
    const all: { cache: string; url: string; body: string }[] = []
    for (const cache of await caches.keys()) {
      const opened = await caches.open(cache)
      for (const request of await opened.keys()) {
        const response = await opened.match(request)
        all.push({ cache, url: request.url, body: (await response?.text()) ?? '' })
      }
    }
    return all
  })
}

const cacheNames = (page: Page) => page.evaluate(() => caches.keys())

/** The deployment's cache namespace, as its database is named (`pkce-console:<path>`). */
const namespaceOf = (url: string) => `pkce-console:${new URL(url).pathname}`

/** The versions named by the deployment's precaches: one, except while a new build installs. */
async function precacheVersions(page: Page, appUrl: string): Promise<string[]> {
  const prefix = `${namespaceOf(appUrl)}|precache|`
  return (await cacheNames(page))
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length))
}

/** The version of the deployment's one precache. */
async function precacheVersion(page: Page, appUrl: string): Promise<string> {
  const versions = await precacheVersions(page, appUrl)
  expect(versions).toHaveLength(1)
  return versions[0]!
}

/** Serves a "new deployment" at `appUrl`: a changed `index.html` title and sw.js version. */
function deployNext(servers: Servers, appUrl: string, version: string): void {
  const base = new URL(appUrl).pathname
  servers.setRewrite((path, body) => {
    if (path === `${base}sw.js`) return body.toString().replaceAll(version, `${version}next`)
    if (path === `${base}index.html`)
      return body
        .toString()
        .replace('<title>PKCE Console</title>', '<title>PKCE Console next</title>')
    return body
  })
}

/**
 * Asks the browser to check sw.js now (it also does on navigation) and waits until the new
 * build's cache is the deployment's only one: the old one deleted.
 */
async function updateTo(page: Page, appUrl: string, version: string): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready
    await registration.update()
  })
  await expect.poll(() => precacheVersions(page, appUrl)).toEqual([version])
}

/** A compact JWT the Decoder can read offline (signature irrelevant: nothing to check it with). */
function sampleJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${part(claims)}.${part('sig')}`
}

test('the manifest is linked, relative to the deployment, with PNG icons of the sizes it names', async ({
  page,
  context,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  const href = await page.locator('link[rel="manifest"]').getAttribute('href')
  expect(href).toBe('./manifest.webmanifest')
  const manifestUrl = new URL(String(href), servers.appUrl).href
  const response = await page.request.get(manifestUrl)
  expect(response.ok()).toBe(true)
  const manifest = (await response.json()) as {
    name: string
    short_name: string
    start_url: string
    scope: string
    display: string
    theme_color: string
    background_color: string
    icons: { src: string; sizes: string; type: string; purpose?: string }[]
  }
  expect(manifest.name).toBe('PKCE Console')
  expect(manifest.short_name.length).toBeLessThanOrEqual(12)
  expect(manifest.display).toBe('standalone')
  // Relative, so a copy at any path is installed as its own app.
  expect(manifest.start_url).toBe('./')
  expect(new URL(manifest.start_url, manifestUrl).href).toBe(servers.appUrl)
  expect(new URL(manifest.scope, manifestUrl).href).toBe(servers.appUrl)
  // The light theme of src/ui/styles.css: page background and accent.
  expect(manifest.background_color).toBe('#f6f7f9')
  expect(manifest.theme_color).toBe('#0b5cad')

  const pngs = manifest.icons.filter((icon) => icon.type === 'image/png')
  expect(pngs.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort()).toEqual([
    '192x192 any',
    '512x512 any',
    '512x512 maskable',
  ])
  for (const icon of pngs) {
    const url = new URL(icon.src, manifestUrl).href
    expect(url.startsWith(servers.appUrl)).toBe(true)
    const size = await page.evaluate(async (src) => {
      const answer = await fetch(src)
      const bitmap = await createImageBitmap(await answer.blob())
      return { type: answer.headers.get('content-type'), sizes: `${bitmap.width}x${bitmap.height}` }
    }, url)
    expect(size).toEqual({ type: 'image/png', sizes: icon.sizes })
  }

  // Chromium's own reading of it: parsed without errors, and the app installable.
  await workerReady(page)
  const cdp = await context.newCDPSession(page)
  const parsed = await cdp.send('Page.getAppManifest')
  expect(parsed.url).toBe(manifestUrl)
  expect(parsed.errors).toEqual([])
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors')
  // Playwright's contexts are off the record, where Chromium installs nothing; nothing else.
  expect(installabilityErrors.map((error) => error.errorId)).toEqual(['in-incognito'])
})

test('offline after one online login: the page, the stored claims and the Decoder work; Log in says the provider cannot be reached', async ({
  page,
  context,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await workerReady(page)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')

  await context.setOffline(true)
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const idClaims = page
    .getByRole('region', { name: 'ID token' })
    .getByRole('table', { name: 'ID token claims' })
  await expect(idClaims.getByRole('row', { name: /^sub/ })).toContainText('alice')
  const accessClaims = page
    .getByRole('region', { name: 'Access token' })
    .getByRole('table', { name: 'Access token claims' })
  await expect(accessClaims.getByRole('row', { name: /^aud/ })).toContainText(
    'urn:pkce-console:demo-api',
  )
  await expect(page.getByRole('combobox', { name: 'Provider' })).toHaveValue('demo')

  const decoder = page.getByRole('region', { name: 'Decoder' })
  await decoder
    .getByRole('textbox', { name: 'Token' })
    .fill(sampleJwt({ sub: 'decoded-offline', iss: 'https://id.example.test' }))
  await decoder.getByRole('button', { name: 'Decode' }).click()
  const decoded = decoder.getByRole('table', { name: 'Decoded token claims' })
  await expect(decoded.getByRole('row', { name: /^sub/ })).toContainText('decoded-offline')

  const requestsBefore = servers.provider.requests.length
  await page.getByRole('button', { name: 'Log in' }).click()
  const alert = page.getByRole('alert').filter({ hasText: 'You are offline' })
  await expect(alert).toHaveCount(1)
  await expect(alert).toContainText('the provider cannot be reached')
  await expect(alert).toContainText('Connect to the network and try again')
  // Still the app, still signed in: the browser did not leave for the provider.
  expect(page.url()).toBe(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  expect(servers.provider.requests.length).toBe(requestsBefore)
})

test("Cache Storage holds only this deployment's own files: no query, no provider answer, no token", async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await workerReady(page)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const tokens = [await idbTokens(page)]
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => servers.provider.counters.refreshRequests).toBe(1)
  await expect
    .poll(async () => (await idbTokens(page))?.access_token)
    .not.toBe(tokens[0]?.access_token)
  tokens.push(await idbTokens(page))
  // A controlled reload too: the page, its scripts and providers.json all pass the worker.
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed in')

  const secrets = tokens.flatMap((set) =>
    ['access_token', 'refresh_token', 'id_token'].map((name) => String(set?.[name])),
  )
  expect(secrets.every((value) => value.length > 20)).toBe(true)
  const namespace = namespaceOf(servers.appUrl)
  const entries = await cacheContents(page)
  const urls = entries.map((entry) => entry.url)
  expect(urls).toContain(servers.appUrl)
  expect(urls).toContain(`${servers.appUrl}providers.json`)
  for (const entry of entries) {
    expect(entry.cache.startsWith(`${namespace}|`), entry.cache).toBe(true)
    const url = new URL(entry.url)
    expect(url.origin, entry.url).toBe(servers.appOrigin)
    expect(entry.url.startsWith(servers.appUrl), entry.url).toBe(true)
    expect(url.search + url.hash, entry.url).toBe('')
    // The build's files and the deployment's config, nothing else.
    expect(entry.url.slice(servers.appUrl.length), entry.url).toMatch(
      /^(|assets\/[\w-]+\.(js|css)|icons\/[\w-]+\.png|favicon\.svg|manifest\.webmanifest|providers\.json)$/,
    )
    for (const secret of secrets) expect(entry.body).not.toContain(secret)
  }
})

test("a new deployment is picked up on the next load and its predecessor's cache is deleted", async ({
  page,
  context,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await workerReady(page)
  const first = await precacheVersion(page, servers.appUrl)

  deployNext(servers, servers.appUrl, first)
  // Online, the page comes from the network first: the new index.html at once.
  await page.reload()
  await expect(page).toHaveTitle('PKCE Console next')
  await updateTo(page, servers.appUrl, `${first}next`)

  // Offline, the new build's own copy answers.
  await context.setOffline(true)
  await page.reload()
  await expect(page).toHaveTitle('PKCE Console next')
  await expect(page.getByRole('status')).toHaveText('Signed out')
})

test("two deployments on one origin keep their own caches; updating one leaves the other's", async ({
  page,
  context,
  servers,
}) => {
  const staging = await context.newPage()
  for (const [tab, url] of [
    [page, servers.appUrl],
    [staging, servers.stagingUrl],
  ] as const) {
    await tab.goto(url)
    await expect(tab.getByRole('status')).toHaveText('Signed out')
    await workerReady(tab)
  }
  const scopes = await page.evaluate(async () =>
    (await navigator.serviceWorker.getRegistrations()).map((registration) => registration.scope),
  )
  expect(scopes.sort()).toEqual([servers.appUrl, servers.stagingUrl].sort())
  const version = await precacheVersion(page, servers.appUrl)
  expect(await precacheVersion(staging, servers.stagingUrl)).toBe(version)
  const stagingBefore = (await cacheContents(staging)).filter((entry) =>
    entry.cache.startsWith(`${namespaceOf(servers.stagingUrl)}|`),
  )
  expect(stagingBefore.length).toBeGreaterThan(3)
  for (const entry of await cacheContents(page)) {
    const own = entry.cache.startsWith(`${namespaceOf(servers.appUrl)}|`)
    expect(entry.url.startsWith(own ? servers.appUrl : servers.stagingUrl), entry.url).toBe(true)
  }

  deployNext(servers, servers.appUrl, version)
  await page.reload()
  await updateTo(page, servers.appUrl, `${version}next`)
  expect(await precacheVersion(staging, servers.stagingUrl)).toBe(version)
  const stagingAfter = (await cacheContents(staging)).filter((entry) =>
    entry.cache.startsWith(`${namespaceOf(servers.stagingUrl)}|`),
  )
  expect(stagingAfter.map((entry) => entry.url).sort()).toEqual(
    stagingBefore.map((entry) => entry.url).sort(),
  )

  // Staging still starts offline from its own, untouched copy.
  await context.setOffline(true)
  await staging.reload()
  await expect(staging).toHaveTitle('PKCE Console')
  await expect(staging.getByRole('status')).toHaveText('Signed out')
})
