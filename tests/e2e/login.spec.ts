import { expect, idbTokens, logIn, nonIdbStorage, test } from './fixtures'

test('logs in with PKCE and shows the claims of each token', async ({ page, servers }) => {
  await logIn(page, servers)

  const access = page.getByRole('region', { name: 'Access token' })
  const claims = access.getByRole('table', { name: 'Access token claims' })
  await expect(claims.getByRole('row', { name: /^aud/ })).toContainText('urn:pkce-console:demo-api')
  await expect(claims.getByRole('rowheader', { name: 'exp' })).toBeVisible()
  const idClaims = page
    .getByRole('region', { name: 'ID token' })
    .getByRole('table', { name: 'ID token claims' })
  await expect(idClaims.getByRole('row', { name: /^sub/ })).toContainText('alice')
  await expect(page.getByRole('region', { name: 'Refresh token' })).toBeVisible()

  // The server saw a PKCE S256 exchange from the browser's origin.
  const auth = servers.provider.requests.find((r) => r.route === 'authorization')
  expect(auth?.body?.code_challenge_method).toBe('S256')
  const exchange = servers.provider.requests.find((r) => r.route === 'token')
  expect(exchange?.origin).toBe(servers.appOrigin)
  expect(exchange?.body?.code_verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/)
})

test('keeps tokens in IndexedDB only and leaves no code in the URL or history', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  const tokens = await idbTokens(page)
  expect(typeof tokens?.access_token).toBe('string')
  expect(typeof tokens?.refresh_token).toBe('string')
  expect(typeof tokens?.expires_at).toBe('number')

  const elsewhere = await nonIdbStorage(page)
  const code = String(servers.provider.requests.find((r) => r.route === 'token')?.body?.code)
  expect(code.length).toBeGreaterThan(10)
  // Nor the code: not in storage, and not in a cached callback URL.
  for (const value of [tokens?.access_token, tokens?.refresh_token, tokens?.id_token, code]) {
    expect(elsewhere).not.toContain(String(value))
  }
  // The transient login record is gone once used.
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  expect(page.url()).toBe(servers.appUrl)

  // Back goes to the provider's pages or before, never to a URL with the code.
  await page.goBack()
  expect(page.url()).not.toContain('code=')
})

test('a reload keeps the session and Log out clears it', async ({ page, servers }) => {
  await logIn(page, servers)
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  await expect(page.getByRole('region', { name: 'Access token' })).toBeVisible()

  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(page.getByRole('region', { name: 'Access token' })).toHaveCount(0)
  expect(await idbTokens(page)).toBeUndefined()
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed out')
})
