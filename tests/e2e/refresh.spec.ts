import type { Page } from '@playwright/test'
import { expect, idbTokens, logIn, test } from './fixtures'

/** Clicks Send in the API console and waits for the answer's status. */
async function send(page: Page, status = '200 OK') {
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText(status)
}

test('Send calls the API with the bearer token and shows the answer', async ({ page, servers }) => {
  await logIn(page, servers)
  const api = page.getByRole('region', { name: 'API' })
  await expect(api.getByRole('combobox', { name: 'Request' })).toHaveValue('Who am I')
  await expect(api.getByRole('combobox', { name: 'Method' })).toHaveValue('GET')
  await expect(api.getByRole('textbox', { name: 'URL' })).toHaveValue(
    `${servers.provider.issuer}/api/me`,
  )
  await send(page)
  await expect(api.getByRole('region', { name: 'Response body' })).toContainText('"sub": "alice"')
  const stored = await idbTokens(page)
  expect(servers.provider.apiTokens).toEqual([stored?.access_token])
  expect(servers.provider.counters.refreshRequests).toBe(0)
})

test('an expired token is refreshed before the call, then the call uses the new token', async ({
  page,
  servers,
}) => {
  await page.clock.install()
  await logIn(page, servers)
  const before = await idbTokens(page)
  // The laptop slept past expiry: the page's clock jumps, no timer gets a chance to fire.
  await page.clock.setSystemTime(Number(before?.expires_at) + 5_000)
  await send(page)

  expect(servers.provider.counters.refreshRequests).toBe(1)
  const after = await idbTokens(page)
  expect(after?.access_token).not.toBe(before?.access_token)
  expect(after?.refresh_token).not.toBe(before?.refresh_token) // rotated
  expect(servers.provider.apiTokens).toEqual([after?.access_token])
  const order = servers.provider.requests
    .map((r) => r.route)
    .filter((r) => r === 'token' || r === 'api')
  expect(order).toEqual(['token', 'token', 'api']) // code exchange, refresh, then the call
})

test('Refresh now rotates the tokens and the expiry countdown follows', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  const before = await idbTokens(page)
  const expiry = page.locator('time').first()
  await expect(expiry).toHaveAttribute(
    'datetime',
    new Date(Number(before?.expires_at)).toISOString(),
  )
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => servers.provider.counters.refreshRequests).toBe(1)
  await expect
    .poll(async () => (await idbTokens(page))?.access_token)
    .not.toBe(before?.access_token)
  const after = await idbTokens(page)
  await expect(expiry).toHaveAttribute(
    'datetime',
    new Date(Number(after?.expires_at)).toISOString(),
  )
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

test('a 401 from the API refreshes once and retries once', async ({ page, servers }) => {
  await logIn(page, servers)
  servers.provider.faults.api401 = 1
  await send(page)
  expect(servers.provider.counters.apiCalls).toBe(2)
  expect(servers.provider.counters.refreshRequests).toBe(1)
  await expect(page.getByRole('region', { name: 'API' })).toContainText(
    'after one refresh and retry',
  )
})

test('a 401 that persists is shown after one retry, never a loop', async ({ page, servers }) => {
  await logIn(page, servers)
  servers.provider.faults.api401 = 100
  await send(page, '401 Unauthorized')
  expect(servers.provider.counters.apiCalls).toBe(2)
  expect(servers.provider.counters.refreshRequests).toBe(1)
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

for (const [status, error] of [
  [400, 'invalid_grant'],
  [401, 'invalid_client'],
] as const) {
  test(`a refresh answered ${String(status)} ${error} signs out every tab with the reason`, async ({
    page,
    context,
    servers,
  }) => {
    await logIn(page, servers)
    const other = await context.newPage()
    await other.goto(servers.appUrl)
    await expect(other.getByRole('status')).toHaveText('Signed in')
    servers.provider.faults.token = (ctx) => {
      ctx.status = status
      ctx.body = { error, error_description: 'access revoked' }
    }
    await page.getByRole('button', { name: 'Refresh now' }).click()
    for (const tab of [page, other]) {
      await expect(tab.getByRole('status')).toHaveText('Signed out')
      await expect(tab.getByRole('alert')).toContainText(error)
    }
    expect(await idbTokens(page)).toBeUndefined()
  })
}

test('a refresh answered 503 keeps the tokens, retries, and the call succeeds once the server is back', async ({
  page,
  servers,
}) => {
  await page.clock.install()
  await logIn(page, servers)
  const before = await idbTokens(page)
  let refused = 0
  servers.provider.faults.token = (ctx) => {
    refused += 1
    ctx.status = 503
    ctx.body = 'Service Unavailable'
  }
  await page.clock.setSystemTime(Number(before?.expires_at) + 5_000)
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('alert')).toContainText('retrying')
  expect((await idbTokens(page))?.refresh_token).toBe(before?.refresh_token)
  await expect(page.getByRole('status')).toHaveText('Signed in')

  servers.provider.faults.token = undefined
  await expect(api.getByLabel('Response status')).toHaveText('200 OK', { timeout: 20_000 })
  expect(refused).toBeGreaterThanOrEqual(1)
  expect(servers.provider.counters.refreshRequests).toBe(1)
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('many tabs firing many calls across expiry windows refresh exactly once per window', async ({
  context,
  servers,
}) => {
  test.slow()
  // Margin: a quarter, 1.5 s (more than the 1 s by which the server's whole-second exp may
  // precede our receipt-based expiry).
  servers.provider.settings.accessTokenTTL = 6
  const first = await context.newPage()
  await logIn(first, servers)
  const pages = [first]
  for (let i = 0; i < 2; i++) {
    const tab = await context.newPage()
    await tab.goto(servers.appUrl)
    await expect(tab.getByRole('status')).toHaveText('Signed in')
    pages.push(tab)
  }
  // Bursts from every tab until the server has seen three expiry windows go by.
  const windows = 3
  while (servers.provider.counters.refreshRequests < windows) {
    await Promise.all(
      pages.map(async (tab) => {
        const sendButton = tab
          .getByRole('region', { name: 'API' })
          .getByRole('button', { name: 'Send' })
        for (let call = 0; call < 5; call++) await sendButton.click()
      }),
    )
  }
  // A token lives 6 s and is refreshed 1.5 s before expiry: refreshes come 4.5 s apart. Two within
  // a window (a second tab replaying the rotated refresh token) would be milliseconds apart.
  const times = servers.provider.refreshTimes
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t))
  expect(Math.min(...gaps)).toBeGreaterThan(3_000)
  for (const tab of pages) {
    await expect(tab.getByRole('status')).toHaveText('Signed in')
    await expect(tab.getByRole('alert')).toHaveCount(0)
  }
  expect(servers.provider.counters.grantsRevoked).toBe(0)
  expect(servers.provider.counters.apiRefused).toBe(0)
  expect(servers.provider.counters.apiCalls).toBeGreaterThanOrEqual(pages.length * 5 * 2)
})
