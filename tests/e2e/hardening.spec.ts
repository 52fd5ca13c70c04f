import { expect, idbTokens, logIn, signInAtProvider, test } from './fixtures'

test('17d: the bearer token goes to an origin the profile does not name only after confirmation', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  const api = page.getByRole('region', { name: 'API' })
  const elsewhere = servers.provider.issuer.replace('localhost', '127.0.0.1')
  await api.getByRole('textbox', { name: 'URL' }).fill(`${elsewhere}/api/me`)
  await api.getByRole('button', { name: 'Send' }).click()
  const confirm = api.getByRole('group', { name: 'Confirm token destination' })
  await expect(confirm).toContainText(elsewhere)
  expect(servers.provider.counters.apiCalls).toBe(0)

  await confirm.getByRole('button', { name: "Don't send" }).click()
  await expect(confirm).toHaveCount(0)
  expect(servers.provider.counters.apiCalls).toBe(0)

  await api.getByRole('button', { name: 'Send' }).click()
  await api.getByRole('button', { name: `Send token to ${elsewhere}` }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  expect(servers.provider.counters.apiCalls).toBe(1)
  // Confirmed once for this profile in this tab: the next call goes without asking.
  await api.getByRole('button', { name: 'Send' }).click()
  await expect.poll(() => servers.provider.counters.apiCalls).toBe(2)
  await expect(confirm).toHaveCount(0)
})

test('27: with IndexedDB unavailable the app says so and the session works in memory', async ({
  page,
  servers,
}) => {
  await page.addInitScript(() => {
    indexedDB.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError')
    }
  })
  await logIn(page, servers)
  await expect(page.getByRole('note')).toContainText('IndexedDB is unavailable')
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0)
})

test('11: a slow token endpoint is aborted after a timeout with a message', async ({
  page,
  servers,
}) => {
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  servers.provider.faults.token = async (_ctx, next) => {
    await held
    await next()
  }
  await page.clock.install()
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect.poll(() => servers.provider.counters.tokenRequests).toBe(1)
  await page.clock.fastForward(16_000)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('timeout')
  await expect(alert).toContainText('Log in to start again')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  release()
  expect(await idbTokens(page)).toBeUndefined()
})

for (const [label, offsetMs, warns] of [
  ['+20 s works normally', 20_000, false],
  ['-20 s works normally', -20_000, false],
  ['+2 h warns and still works with bounded token calls', 2 * 3600_000, true],
  ['-2 h warns and still works with bounded token calls', -2 * 3600_000, true],
] as const) {
  test(`17c: a device clock ${label}`, async ({ page, servers }) => {
    await page.clock.install({ time: Date.now() + offsetMs })
    await logIn(page, servers)
    if (warns) await expect(page.getByRole('alert')).toContainText('clock_skew')
    else await expect(page.getByRole('alert')).toHaveCount(0)
    const api = page.getByRole('region', { name: 'API' })
    for (let call = 0; call < 5; call++) {
      await api.getByRole('button', { name: 'Send' }).click()
      await expect.poll(() => servers.provider.counters.apiCalls).toBe(call + 1)
    }
    await expect(api.getByLabel('Response status')).toHaveText('200 OK')
    // One code exchange, no refresh: the skew never makes fresh tokens look expired.
    expect(servers.provider.counters.tokenRequests).toBe(1)
  })
}

test('17c: a two-day-old, expired ID token is refused, not excused as clock skew', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = servers.provider.tamperIdToken((claims) => {
    const twoDaysAgo = Number(claims.iat) - 2 * 86_400
    claims.iat = twoDaysAgo
    claims.exp = twoDaysAgo + 3600
  })
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('id_token_invalid')
  await expect(alert).toContainText('"exp"')
  await expect(alert).not.toContainText('clock_skew')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page)).toBeUndefined()
})

test('14: a refresh that times out keeps the tokens, is retried, and the call succeeds', async ({
  page,
  servers,
}) => {
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  let refreshes = 0
  await page.clock.install()
  await logIn(page, servers)
  // From now on the token endpoint only sees refreshes: hold the first one past the timeout.
  servers.provider.faults.token = async (_ctx, next) => {
    if (++refreshes === 1) await held
    await next()
  }
  const before = await idbTokens(page)
  await page.clock.setSystemTime(Number(before?.expires_at) + 5_000)
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect.poll(() => refreshes).toBe(1)
  await page.clock.fastForward(16_000) // the 15 s request timeout
  await expect(page.getByRole('alert')).toContainText('timeout')
  await expect(page.getByRole('status')).toHaveText('Signed in')
  await page.clock.fastForward(1_100) // the first backoff
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  expect(refreshes).toBe(2)
  release()
})
