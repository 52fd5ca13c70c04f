import type { Locator, Page } from '@playwright/test'
import { startMisconfiguredProvider, misconfiguredProfiles } from '../providers/misconfigured.js'
import { expect, idbTokens, logIn, test as base } from './fixtures'

type Misconfigured = Awaited<ReturnType<typeof startMisconfiguredProvider>>

/** The misconfigured provider (metadata and JWKS only), one per worker, reset for each test. */
const test = base.extend<{ misconfigured: Misconfigured }, { workerMisconfigured: Misconfigured }>({
  workerMisconfigured: [
    async ({}, use) => {
      const server = await startMisconfiguredProvider()
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  misconfigured: async ({ workerMisconfigured }, use) => {
    workerMisconfigured.reset()
    await use(workerMisconfigured)
  },
})

/** Presses Audit provider and returns the findings' texts once the new list is shown. */
async function audit(page: Page): Promise<string[]> {
  const region = page.getByRole('region', { name: 'Provider audit' })
  // Pressing it removes the previous report at once; the list shown next is the new one.
  await region.getByRole('button', { name: 'Audit provider' }).click()
  const list = region.getByRole('list', { name: 'Audit findings' })
  await expect(list).toBeVisible()
  return findings(list)
}

const findings = (list: Locator) => list.getByRole('listitem').allTextContents()

/** The one finding whose text matches `pattern`. */
function one(texts: string[], pattern: RegExp): string {
  const matching = texts.filter((text) => pattern.test(text))
  expect(matching, `one finding matching ${String(pattern)} in:\n${texts.join('\n')}`).toHaveLength(
    1,
  )
  return matching[0] ?? ''
}

test('audits a provider set up well while signed out: no Fail, asking only metadata, JWKS and userinfo', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  const texts = await audit(page)
  for (const text of texts) expect(text).toMatch(/^(Pass|Warning): .* \((RFC|OpenID) [^)]+\)$/)
  one(
    texts,
    /^Pass: PKCE: code_challenge_methods_supported lists S256\. .*\(RFC 9700 §2\.1\.1, RFC 10017 §6\.3\.2\.1\)$/,
  )
  one(texts, /^Pass: Public clients: .*"none".*\(RFC 10017 §6\.3\.3\.1\)$/)
  one(texts, /^Pass: Mix-up defence: .*\(RFC 9207 §3, RFC 9700 §4\.4\)$/)
  one(texts, /^Pass: Issuer: .*\(RFC 8414 §3\.3\)$/)
  one(texts, /^Pass: Implicit grant: not advertised.*\(RFC 9700 §2\.1\.2\)$/)
  one(texts, /^Pass: Password grant: not advertised.*\(RFC 9700 §2\.4\)$/)
  one(texts, /^Pass: DPoP: supported.*\(RFC 9449 §5\.1\)$/)
  one(texts, /^Pass: PAR: supported.*\(RFC 9126 §5\)$/)
  one(texts, /^Pass: CORS at the JWKS: .*\(RFC 10017 §6\.3\.3\.4\)$/)
  one(
    texts,
    /^Pass: CORS at the userinfo endpoint: .*asked without a token, answered this page \(HTTP 401\)/,
  )
  one(
    texts,
    /^Pass: JWKS key sizes: "demo-rs256" \(RSA 2048-bit, RS256, sig\)\. .*\(RFC 7518 §3\.3\)$/,
  )
  one(texts, /^Warning: CORS at the token endpoint: not checked yet: log in once/)
  one(texts, /^Warning: iss on the callback: not checked yet: log in once/)
  // Nothing but GETs of the metadata, the keys and userinfo (without a token) reached the provider.
  const seen = servers.provider.requests
  expect(seen.every((r) => r.method === 'GET' && r.authorization === undefined)).toBe(true)
  expect([...new Set(seen.map((r) => r.route))].sort()).toEqual(['discovery', 'jwks', 'userinfo'])
})

test('after login and a refresh: iss on the callback, rotation, token endpoint CORS and lifetimes; the Markdown holds no token', async ({
  page,
  context,
  servers,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: servers.appOrigin,
  })
  await logIn(page, servers)
  const before = await idbTokens(page)
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect
    .poll(async () => (await idbTokens(page))?.refresh_token)
    .not.toBe(before?.refresh_token)
  // The session has the refreshed tokens once the expiry it shows is theirs.
  const after = await idbTokens(page)
  await expect(page.locator('time').first()).toHaveAttribute(
    'datetime',
    new Date(Number(after?.expires_at)).toISOString(),
  )
  const texts = await audit(page)
  expect(texts.filter((text) => text.startsWith('Fail'))).toEqual([])
  one(
    texts,
    /^Pass: iss on the callback: this tab's callback carried iss \(parameters: [^)]*\biss\b[^)]*\)\. .*\(RFC 9207 §2, RFC 9700 §4\.4\)$/,
  )
  one(
    texts,
    /^Pass: Refresh token rotation: the refresh in this tab returned a new refresh token\. .*\(RFC 9700 §2\.2\.2, RFC 10017 §6\.3\.2\.3\)$/,
  )
  one(
    texts,
    /^Pass: CORS at the token endpoint: this tab's (code exchange|refresh) .* got an answer it could read \(200 OK\)/,
  )
  one(
    texts,
    /^Pass: Access token lifetime: 5 min \(an hour or less\)\. .*\(RFC 6819 §5\.1\.5\.3\)$/,
  )
  one(
    texts,
    /^Warning: Refresh token lifetime: unknown: .*\(RFC 9700 §4\.14\.2, RFC 10017 §6\.3\.2\.3\)$/,
  )
  one(
    texts,
    /^Pass: ID token algorithm: RS256\. .*\(OpenID Connect Core 1\.0 §3\.1\.3\.7, RFC 8725 §3\.1\)$/,
  )
  // The audit sent nothing to the token endpoint: the code exchange and the refresh are all.
  expect(servers.provider.counters.tokenRequests).toBe(2)

  const region = page.getByRole('region', { name: 'Provider audit' })
  await region.getByRole('button', { name: 'Copy audit as Markdown' }).click()
  await expect(region.getByText('Copied the audit as Markdown.')).toBeVisible()
  const markdown = await page.evaluate(() => navigator.clipboard.readText())
  expect(markdown).toMatch(/^## Provider audit: Demo provider \(oidc-provider\)\n/)
  expect(markdown).toContain(
    '- **Pass**: Refresh token rotation: the refresh in this tab returned a new refresh token.',
  )
  const held = await idbTokens(page)
  for (const name of ['access_token', 'refresh_token', 'id_token']) {
    const value = held?.[name]
    expect(typeof value).toBe('string')
    expect(markdown).not.toContain(String(value))
  }
})

test('finds every bad setting of a misconfigured provider, each with its citation', async ({
  page,
  servers,
  misconfigured,
}) => {
  servers.setProviders({
    profiles: misconfiguredProfiles(misconfigured.base),
    default: 'misconfigured',
  })
  await page.goto(servers.appUrl)
  await expect(page.getByRole('combobox', { name: 'Provider' })).toHaveValue('misconfigured')
  let texts = await audit(page)
  one(
    texts,
    /^Fail: PKCE: code_challenge_methods_supported lists "plain" without S256\. .*\(RFC 9700 §2\.1\.1, RFC 10017 §6\.3\.2\.1\)$/,
  )
  one(texts, /^Fail: Public clients: .* but not "none"\. .*\(RFC 10017 §6\.3\.3\.1\)$/)
  one(
    texts,
    /^Warning: Implicit grant: advertised \(response_types_supported lists "token", "id_token token"; grant_types_supported lists "implicit"\)\. .*\(RFC 9700 §2\.1\.2\)$/,
  )
  one(
    texts,
    /^Fail: Password grant: grant_types_supported lists "password"\. .*\(RFC 9700 §2\.4\)$/,
  )
  one(
    texts,
    /^Warning: Mix-up defence: the metadata does not set authorization_response_iss_parameter_supported.*\(RFC 9207 §3, RFC 9700 §4\.4\)$/,
  )
  one(texts, /^Warning: DPoP: not advertised.*\(RFC 9449 §5\.1\)$/)
  one(texts, /^Warning: PAR: not advertised.*\(RFC 9126 §5\)$/)
  one(
    texts,
    /^Fail: CORS at the JWKS: .*\/bad\/jwks gave no answer this page may read.*\(RFC 10017 §6\.3\.3\.4\)$/,
  )
  one(
    texts,
    /^Warning: CORS at the userinfo endpoint: .*\/bad\/userinfo, asked without a token, gave no answer this page may read.*\(RFC 10017 §6\.3\.3\.4\)$/,
  )

  // With its JWKS readable, the weak key shows.
  misconfigured.settings.jwksCors = true
  texts = await audit(page)
  one(
    texts,
    /^Fail: JWKS key sizes: RSA keys under 2048 bits: "weak-1024" has 1024 bits\. .*\(RFC 7518 §3\.3\)$/,
  )

  await page
    .getByRole('combobox', { name: 'Provider' })
    .selectOption({ label: 'Mismatched issuer' })
  texts = await audit(page)
  one(
    texts,
    /^Fail: Issuer: the metadata names the issuer "http:\/\/localhost:\d+\/elsewhere", not http:\/\/localhost:\d+\/mismatch as the profile asks.*\(RFC 8414 §3\.3\)$/,
  )
  // What the refused metadata advertises is still reported; nothing it names was asked.
  one(texts, /^Fail: Password grant/)
  // Only GETs of metadata, keys and userinfo: no token, authorization or other request.
  expect([...new Set(misconfigured.requests)].sort()).toEqual([
    'GET /bad/.well-known/openid-configuration',
    'GET /bad/jwks',
    'GET /bad/userinfo',
    'GET /mismatch/.well-known/openid-configuration',
  ])
})

test('shows the Markdown to copy by hand when the page has no Clipboard API', async ({
  page,
  servers,
}) => {
  // As in an insecure context, where browsers give no navigator.clipboard.
  await page.addInitScript(() => {
    delete (Navigator.prototype as { clipboard?: unknown }).clipboard
  })
  await page.goto(servers.appUrl)
  await audit(page)
  const region = page.getByRole('region', { name: 'Provider audit' })
  await region.getByRole('button', { name: 'Copy audit as Markdown' }).click()
  await expect(region.getByText(/did not let the page copy/)).toBeVisible()
  const text = region.getByRole('textbox', { name: 'Audit as Markdown' })
  await expect(text).toHaveValue(/^## Provider audit: Demo provider \(oidc-provider\)\n/)
  await expect(text).toBeFocused()
})
