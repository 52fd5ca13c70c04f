import { nexusSimProfile } from '../providers/sim-profiles.js'
import { expect, logIn, test } from './fixtures'

test('after Log out, End provider session logs out at the provider and comes back checked', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  const requestSeen = page.waitForRequest((request) => request.url().includes('/session/end'))
  await page.getByRole('button', { name: 'End provider session' }).click()
  const endSession = new URL((await requestSeen).url())
  expect(endSession.searchParams.get('client_id')).toBe('pkce-console')
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(servers.appUrl)
  expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/)
  const state = endSession.searchParams.get('state')
  expect(state).toMatch(/^[\w-]{20,}$/)

  // oidc-provider asks for confirmation, then sends the browser back with the state.
  const back = page.waitForRequest(
    (request) => request.url().startsWith(servers.appUrl) && request.url().includes('state='),
  )
  await page.getByRole('button', { name: 'Yes, sign me out' }).click()
  expect(new URL((await back).url()).searchParams.get('state')).toBe(state)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(page.getByRole('alert')).toHaveCount(0)
  expect(page.url()).toBe(servers.appUrl)
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText(
    'back from the provider logout page; state checked',
  )
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)

  // The provider's session is gone: the next login asks for a sign-in again.
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByPlaceholder('Enter any login')).toBeVisible()
})

test('a logout return with a state this tab did not send is refused with an alert', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.getByRole('button', { name: 'End provider session' }).click()
  // An attacker's (or stale) link lands instead of the provider's real return.
  await page.goto(`${servers.appUrl}?state=forged-state-value`)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('state_mismatch')
  await expect(alert).toContainText('logout page')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(page.url()).toBe(servers.appUrl)
})

test('no End provider session offer when the provider has no end_session_endpoint', async ({
  page,
  servers,
  sims,
}) => {
  servers.setProviders({ profiles: [nexusSimProfile(sims.nexus.base)], default: 'nexus' })
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText(
    'revoked at the provider: refresh token revoked (200), access token revoked (200)',
  )
  await expect(page.getByRole('button', { name: 'End provider session' })).toHaveCount(0)
})
