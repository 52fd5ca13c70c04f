// Checklist items 22–25: page hardening (docs/security.md). Item 22's suite-wide guard lives in
// fixtures.ts (`cspViolations`): every test of the suite fails on a CSP violation.
import { demoProfile } from '../providers/oidc.js'
import type { Page } from '@playwright/test'
import { expect, logIn, signInAtProvider, test } from './fixtures'

/** The token lifetime chart's picture, the only element of role img the app draws. */
const lifetimeChart = (page: Page) =>
  page.getByRole('figure', { name: 'Token lifetimes' }).getByRole('img')

const HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
const xss = () => (window as { __xss?: unknown }).__xss

test('item 22: the CSP blocks inline script and eval, and the suite-wide guard sees it', async ({
  page,
  servers,
  cspViolations,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.evaluate(() => {
    const script = document.createElement('script')
    script.textContent = 'window.__xss = "inline"'
    document.body.append(script)
    // A string timer is compiled by the page itself, so 'unsafe-eval' decides (DevTools' own
    // evaluation, which runs this function, is exempt).
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point of the test
    setTimeout('window.__xss = "eval"', 0)
  })
  await expect
    .poll(() => cspViolations.filter((text) => text.startsWith('CSP violation')))
    .toEqual([expect.stringContaining('blocked inline'), expect.stringContaining('blocked eval')])
  expect(await page.evaluate(xss)).toBeUndefined()
  expect(cspViolations.join('\n')).toContain('script-src')
  // Provoked on purpose: clear them so the guard passes this test.
  cspViolations.length = 0

  const policy = await page.evaluate(
    () =>
      document
        .querySelector('meta[http-equiv="Content-Security-Policy"]')
        ?.getAttribute('content') ?? '',
  )
  expect(policy).toContain("script-src 'self';")
  expect(policy).not.toMatch(/unsafe-(inline|eval)/)
  for (const directive of ["object-src 'none'", "base-uri 'none'", "default-src 'none'"])
    expect(policy).toContain(directive)
})

test('item 23: hostile ID token claims from the provider render as text; only https: becomes a link', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = servers.provider.tamperIdToken((claims) => {
    claims.name = HOSTILE
    claims.picture = 'javascript:window.__xss=3'
    claims.profile = 'data:text/html,<script>alert(1)</script>'
    claims.website = 'https://example.com/alice'
  })
  await logIn(page, servers)
  const table = page
    .getByRole('region', { name: 'ID token' })
    .getByRole('table', { name: 'ID token claims' })
  await expect(table.getByRole('row', { name: /^name/ })).toContainText(HOSTILE)
  await expect(table.getByRole('row', { name: /^picture/ })).toContainText('javascript:')
  await expect(lifetimeChart(page)).toBeVisible()
  // The one picture is the token lifetime chart (an SVG): the hostile <img> made none.
  await expect(page.getByRole('img')).toHaveCount(1)
  await expect(table.getByRole('link')).toHaveCount(1)
  await expect(table.getByRole('link', { name: 'https://example.com/alice' })).toBeVisible()
  expect(await page.evaluate(xss)).toBeUndefined()
})

test('item 23: a hostile API body renders as text', async ({ page, servers }) => {
  servers.provider.faults.apiBody = HOSTILE
  await logIn(page, servers)
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  await expect(api.getByRole('region', { name: 'Response body' })).toContainText(HOSTILE)
  await expect(lifetimeChart(page)).toBeVisible()
  // The one picture is the token lifetime chart (an SVG): the hostile <img> made none.
  await expect(page.getByRole('img')).toHaveCount(1)
  expect(await page.evaluate(xss)).toBeUndefined()
})

test('item 24: providers.json entries with data:, relative or plain http: endpoints are refused, unknown fields reported, the rest usable', async ({
  page,
  servers,
}) => {
  const entry = (id: string, authorization_endpoint: string) => ({
    id,
    name: id,
    client_id: 'x',
    authorization_endpoint,
    token_endpoint: 'https://id.example.test/token',
  })
  servers.setProviders({
    profiles: [
      { ...demoProfile(servers.provider.issuer), colour: 'red' },
      entry('data-url', 'data:text/html,<script>alert(1)</script>'),
      entry('relative', '/oauth/authorize'),
      entry('plain-http', 'http://id.example.test/authorize'),
    ],
    default: 'demo',
  })
  await page.goto(servers.appUrl)
  for (const id of ['data-url', 'relative', 'plain-http']) {
    await expect(page.getByRole('alert').filter({ hasText: `"${id}"` })).toContainText(
      'invalid_profile',
    )
  }
  await expect(page.getByRole('list', { name: 'Profile warnings' })).toContainText('"colour"')
  const options = page.getByRole('combobox', { name: 'Provider' }).getByRole('option')
  await expect(options).not.toContainText(['data-url'])
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

test('item 24: a providers.json that is not JSON is reported and the app still starts', async ({
  page,
  servers,
}) => {
  servers.setProviders('{ "profiles": [ oops')
  await page.goto(servers.appUrl)
  await expect(page.getByRole('alert')).toContainText('not valid JSON')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(
    page.getByRole('combobox', { name: 'Provider' }).getByRole('option', { name: 'Nexus Mods' }),
  ).toHaveCount(1)
})

test("item 25: the app makes no request except to itself and the profile's endpoints", async ({
  page,
  context,
  servers,
}) => {
  const issuer = servers.provider.issuer
  const metadata = (await (
    await fetch(`${issuer}/.well-known/openid-configuration`)
  ).json()) as Record<string, unknown>
  const endpoints = new Set(
    [
      `${issuer}/.well-known/openid-configuration`,
      metadata.authorization_endpoint,
      metadata.token_endpoint,
      metadata.jwks_uri,
      metadata.revocation_endpoint,
      `${issuer}/api/me`,
    ].map(String),
  )
  const fromApp: string[] = []
  context.on('request', (request) => {
    // Requests the app's documents and its service worker make (a worker's request has no
    // frame); the provider's own login pages are its business. Redirect hops are the
    // provider's doing, not the app's.
    const initiator = request.serviceWorker()?.url() ?? request.frame().url()
    if (request.redirectedFrom() === null && initiator.startsWith(servers.appOrigin))
      fromApp.push(request.url())
  })
  await logIn(page, servers)
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => servers.provider.counters.refreshRequests).toBe(1)
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect.poll(() => servers.provider.counters.revocations).toBe(2)

  const elsewhere = fromApp.filter((url) => {
    if (url.startsWith(servers.appUrl)) return false
    const { origin, pathname } = new URL(url)
    return !endpoints.has(origin + pathname)
  })
  expect(elsewhere).toEqual([])
  expect(fromApp.some((url) => url.startsWith(`${issuer}/token`))).toBe(true)
})
