import { demoProfile } from '../providers/oidc.js'
import { expect, idbTokens, logIn, signInAtProvider, test } from './fixtures'

test('denied consent ends in an access_denied alert and no tokens', async ({ page, servers }) => {
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByPlaceholder('Enter any login').fill('alice')
  await page.getByPlaceholder('and password').fill('pw')
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.getByRole('link', { name: '[ Cancel ]' }).click()

  await expect(page.getByRole('alert')).toContainText('access_denied')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page)).toBeUndefined()
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  expect(servers.provider.counters.tokenRequests).toBe(0)
})

test('a callback with a tampered state is refused before any exchange', async ({
  page,
  servers,
}) => {
  servers.provider.faults.callback = (location) => location.searchParams.set('state', 'tampered')
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)

  await expect(page.getByRole('alert')).toContainText('state_mismatch')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page)).toBeUndefined()
  expect(servers.provider.counters.tokenRequests).toBe(0)
})

test('a callback opened where no login is pending is refused', async ({
  page,
  browser,
  servers,
}) => {
  // The callback never reaches this browser profile: it is opened in another one.
  let callbackUrl = ''
  servers.provider.faults.callback = (location) => {
    callbackUrl = location.href
    return `${servers.provider.issuer}/elsewhere`
  }
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect.poll(() => callbackUrl).toContain('code=')

  const other = await browser.newContext()
  const stranger = await other.newPage()
  await stranger.goto(callbackUrl)
  await expect(stranger.getByRole('alert')).toContainText('no_pending_login')
  await expect(stranger.getByRole('alert')).toContainText('Log in to start again')
  await expect(stranger.getByRole('status')).toHaveText('Signed out')
  expect(stranger.url()).not.toContain('code=')
  expect(await idbTokens(stranger)).toBeUndefined()
  expect(servers.provider.counters.tokenRequests).toBe(0)
  await other.close()
})

test('a token endpoint error is shown with its code and nothing is stored', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = (ctx) => {
    ctx.status = 400
    ctx.body = { error: 'invalid_grant', error_description: 'the code has expired' }
  }
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)

  const alert = page.getByRole('alert')
  await expect(alert).toContainText('invalid_grant')
  await expect(alert).toContainText('the code has expired')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page)).toBeUndefined()
})

test('a profile with a javascript: endpoint is refused and the others stay usable', async ({
  page,
  servers,
}) => {
  servers.setProviders({
    profiles: [
      demoProfile(servers.provider.issuer),
      {
        id: 'evil',
        name: 'Evil',
        client_id: 'x',
        authorization_endpoint: 'javascript:alert(document.domain)',
        token_endpoint: 'https://example.test/token',
      },
    ],
    default: 'demo',
  })
  await page.goto(servers.appUrl)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('evil')
  await expect(alert).toContainText('javascript:')
  await expect(
    page.getByRole('combobox', { name: 'Provider' }).getByRole('option'),
  ).not.toContainText(['Evil'])

  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

test('logging in again replaces the stored tokens', async ({ page, servers }) => {
  await logIn(page, servers)
  const first = await idbTokens(page)
  await page.getByRole('button', { name: 'Log in' }).click()
  // The provider remembers the user; prompt=consent still asks for consent.
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const second = await idbTokens(page)
  expect(second?.access_token).not.toBe(first?.access_token)
  expect(servers.provider.counters.codeExchanges).toBe(2)
})

test("Entra's answer to a redirect URI registered as Web says what to change, and links its page", async ({
  page,
  servers,
}) => {
  // What Entra's token endpoint answers a browser when the redirect URI is not a SPA one.
  servers.provider.faults.token = (ctx) => {
    ctx.status = 400
    ctx.body = {
      error: 'invalid_request',
      error_description:
        "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.",
      error_codes: [9002326],
      error_uri: 'https://login.microsoftonline.com/error?code=9002326',
    }
    return Promise.resolve()
  }
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('invalid_request')
  await expect(alert).toContainText('"Single-page application" platform')
  await expect(
    alert.getByRole('link', { name: "The provider's page about this error" }),
  ).toHaveAttribute('href', 'https://login.microsoftonline.com/error?code=9002326')
  await expect(page.getByRole('status')).toHaveText('Signed out')
})

test('the extra parameters Google appends to the callback leave the address bar too', async ({
  page,
  servers,
}) => {
  servers.provider.faults.callback = (location) => {
    for (const [name, value] of Object.entries({ scope: 'openid', authuser: '0', hd: 'x.test' }))
      location.searchParams.set(name, value)
  }
  await logIn(page, servers)
  expect(new URL(page.url()).search).toBe('')
})
