// Checklist items 13–17b: refresh against a provider that fails on purpose (docs/security.md).
// Items 13 (invalid_grant, invalid_client), 14 (503), 16 and 17 are proven in refresh.spec.ts;
// these add the rest.
import type { Page } from '@playwright/test'
import { expect, idbTokens, logIn, test } from './fixtures'

/** Presses Send in the API console (the call asks the token getter first). */
const send = (page: Page) =>
  page.getByRole('region', { name: 'API' }).getByRole('button', { name: 'Send' }).click()

test('item 14: a refresh while the network is down keeps the tokens, retries, and recovers without a new login', async ({
  page,
  servers,
}) => {
  await page.clock.install()
  await logIn(page, servers)
  const before = await idbTokens(page)
  const tokenUrl = `${servers.provider.issuer}/token`
  await page.route(tokenUrl, (route) => route.abort('internetdisconnected'))
  await page.clock.setSystemTime(Number(before?.expires_at) + 5_000)
  await send(page)

  await expect(page.getByRole('alert')).toContainText('retrying')
  await expect(page.getByRole('alert')).toContainText('Your tokens are kept')
  expect(await idbTokens(page)).toEqual(before)
  await expect(page.getByRole('status')).toHaveText('Signed in')

  await page.unroute(tokenUrl)
  const api = page.getByRole('region', { name: 'API' })
  await expect(api.getByLabel('Response status')).toHaveText('200 OK', { timeout: 20_000 })
  await expect(page.getByRole('alert')).toHaveCount(0)
  expect(servers.provider.counters.refreshRequests).toBe(1)
  expect(servers.provider.counters.codeExchanges).toBe(1)
})

test('item 15: a refresh answer without a refresh_token keeps the old one', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  const before = await idbTokens(page)
  servers.provider.faults.token = async (ctx, next) => {
    await next()
    const body = { ...(ctx.body as Record<string, unknown>) }
    delete body.refresh_token
    ctx.body = body
  }
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect
    .poll(async () => (await idbTokens(page))?.access_token)
    .not.toBe(before?.access_token)
  const after = await idbTokens(page)
  expect(after?.refresh_token).toBe(before?.refresh_token)
  expect(after?.id_token).toBeDefined()
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

test('item 17b: a refresh answer lost after the server rotated ends in one explained sign-out, no loop', async ({
  page,
  context,
  servers,
}) => {
  await page.clock.install()
  await logIn(page, servers)
  const other = await context.newPage()
  await other.goto(servers.appUrl)
  await expect(other.getByRole('status')).toHaveText('Signed in')
  const before = await idbTokens(page)

  let attempts = 0
  servers.provider.faults.token = async (ctx, next) => {
    attempts += 1
    await next()
    // The grant succeeded and the refresh token rotated; then the proxy lost the answer.
    if (attempts === 1) {
      ctx.status = 502
      ctx.type = 'text/html'
      ctx.body = '<html><body>502 Bad Gateway</body></html>'
    }
  }
  await page.clock.setSystemTime(Number(before?.expires_at) + 5_000)
  await send(page)

  for (const tab of [page, other]) {
    await expect(tab.getByRole('status')).toHaveText('Signed out')
    await expect(tab.getByRole('alert').filter({ hasText: 'invalid_grant' })).toHaveCount(1)
  }
  expect(await idbTokens(page)).toBeUndefined()
  // One lost answer, one replay that the server refused (revoking the grant), nothing after.
  expect(attempts).toBe(2)
  expect(servers.provider.counters.grantsRevoked).toBeGreaterThanOrEqual(1)
  expect(servers.provider.apiTokens).toEqual([])
})
