// Checklist items 18–21 and 28: where tokens live, what is masked, logout (docs/security.md).
import { createHash } from 'node:crypto'
import type { Page } from '@playwright/test'
import { demoProfile } from '../providers/oidc.js'
import {
  APP_NAMESPACE,
  expect,
  idbTokens,
  logIn,
  nonIdbStorage,
  signInAtProvider,
  test,
} from './fixtures'

const tokenValues = (tokens: Record<string, unknown> | undefined) =>
  ['access_token', 'refresh_token', 'id_token']
    .map((name) => tokens?.[name])
    .filter((value): value is string => typeof value === 'string')

const picker = (page: Page) => page.getByRole('combobox', { name: 'Provider' })

/** Two profiles on the same provider, `demo` and `second`. */
function twoProfiles(issuer: string) {
  return {
    profiles: [demoProfile(issuer), { ...demoProfile(issuer, 'second'), name: 'Second profile' }],
    default: 'demo',
  }
}

test('item 18: no token outside IndexedDB: not in storage, cookies, Cache Storage, the URL, the console, alerts or page text', async ({
  page,
  context,
  servers,
}) => {
  const console: string[] = []
  context.on('console', (message) => console.push(message.text()))
  page.on('pageerror', (error) => console.push(String(error)))
  const seen: string[] = []
  const leaks = async () =>
    [
      await nonIdbStorage(page),
      JSON.stringify(await context.cookies(servers.appUrl)),
      console.join('\n'),
      await page.locator('body').innerText(),
    ].join('\n')

  await logIn(page, servers)
  seen.push(...tokenValues(await idbTokens(page)))
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => servers.provider.counters.refreshRequests).toBe(1)
  await expect.poll(async () => (await idbTokens(page))?.access_token).not.toBe(seen[0])
  seen.push(...tokenValues(await idbTokens(page)))
  let text = await leaks()
  for (const value of seen) expect(text).not.toContain(value)

  // The error path too: a refused refresh explains itself without quoting any token.
  servers.provider.faults.token = (ctx) => {
    ctx.status = 400
    ctx.body = { error: 'invalid_grant', error_description: 'refresh token revoked' }
  }
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(page.getByRole('alert')).toContainText('invalid_grant')
  text = await leaks()
  for (const value of seen) expect(text).not.toContain(value)
  expect(seen.length).toBe(6)
})

test('item 19: the login record holds only verifier, state, nonce, profile id and time, and is deleted after use', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByPlaceholder('Enter any login')).toBeVisible()
  // Back at the app while the login waits at the provider.
  await page.goBack()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  const stored = await page.evaluate(() => ({ ...sessionStorage }))
  const [[key, raw] = ['', '']] = Object.entries(stored)
  expect(Object.keys(stored)).toHaveLength(1)
  const record = JSON.parse(raw) as Record<string, unknown>
  // No secret beyond the verifier: the server the login began with is named, not a token.
  expect(Object.keys(record).sort()).toEqual([
    'created_at',
    'iss_required',
    'issuer',
    'nonce',
    'profile_id',
    'server',
    'state',
    'token_endpoint',
    'verifier',
  ])
  expect(record.issuer).toBe(servers.provider.issuer)
  expect(key).toBe(`${APP_NAMESPACE}|pkce-console:login:${String(record.state)}`)
  expect(record.profile_id).toBe('demo')
  const auth = servers.provider.requests.find((r) => r.route === 'authorization')
  expect(auth?.body?.state).toBe(record.state)
  expect(auth?.body?.nonce).toBe(record.nonce)
  expect(createHash('sha256').update(String(record.verifier)).digest('base64url')).toBe(
    auth?.body?.code_challenge,
  )

  await page.goForward()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
})

test('item 20: the timeline masks secrets, and Copy as curl masks them unless revealed first', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  const exchange = servers.provider.requests.find((r) => r.route === 'token')?.body
  const verifier = String(exchange?.code_verifier)
  const code = String(exchange?.code)
  const timeline = page.getByRole('region', { name: 'Timeline' })
  const step = timeline.getByRole('listitem').filter({ hasText: 'code exchange' })
  await step.getByText('Request').click()
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText())

  await expect(timeline).not.toContainText(verifier)
  await step.getByRole('button', { name: 'Copy as curl' }).click()
  const masked = await clipboard()
  expect(masked).toContain('code_verifier=••••••')
  expect(masked).not.toContain(verifier)
  expect(masked).not.toContain(code)

  await timeline.getByRole('checkbox', { name: 'Reveal secrets' }).check()
  await step.getByRole('button', { name: /Copy as curl|Copied/ }).click()
  await expect.poll(clipboard).toContain(`code_verifier=${verifier}`)
})

test('item 21: Log out signs out every tab and leaves the other profiles signed in', async ({
  page,
  context,
  servers,
}) => {
  servers.setProviders(twoProfiles(servers.provider.issuer))
  await page.goto(servers.appUrl)
  await picker(page).selectOption({ label: 'Second profile' })
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const second = await idbTokens(page, 'second')

  await picker(page).selectOption({ label: 'Demo provider (oidc-provider)' })
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const other = await context.newPage()
  await other.goto(servers.appUrl)
  await expect(picker(other)).toHaveValue('demo')
  await expect(other.getByRole('status')).toHaveText('Signed in')

  await page.getByRole('button', { name: 'Log out' }).click()
  for (const tab of [page, other]) await expect(tab.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page, 'demo')).toBeUndefined()
  await expect.poll(() => servers.provider.counters.revocations).toBe(2)
  expect(await idbTokens(page, 'second')).toEqual(second)
  await picker(other).selectOption({ label: 'Second profile' })
  await expect(other.getByRole('status')).toHaveText('Signed in')
})

test('item 28: two logins started in two tabs for two profiles both complete', async ({
  context,
  servers,
}) => {
  servers.setProviders(twoProfiles(servers.provider.issuer))
  const first = await context.newPage()
  const second = await context.newPage()
  await first.goto(servers.appUrl)
  await expect(first.getByRole('status')).toHaveText('Signed out')
  await first.getByRole('button', { name: 'Log in' }).click()
  await expect(first.getByPlaceholder('Enter any login')).toBeVisible()
  await second.goto(servers.appUrl)
  await picker(second).selectOption({ label: 'Second profile' })
  await second.getByRole('button', { name: 'Log in' }).click()
  await expect(second.getByPlaceholder('Enter any login')).toBeVisible()

  await signInAtProvider(first)
  await signInAtProvider(second)
  await expect(first.getByRole('status')).toHaveText('Signed in')
  await expect(second.getByRole('status')).toHaveText('Signed in')
  await expect(picker(second)).toHaveValue('second')
  expect(await idbTokens(first, 'demo')).toBeDefined()
  expect(await idbTokens(second, 'second')).toBeDefined()
  expect(servers.provider.counters.codeExchanges).toBe(2)
  for (const tab of [first, second]) await expect(tab.getByRole('alert')).toHaveCount(0)
})
