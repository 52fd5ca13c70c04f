import { expect, idbTokens, logIn, test } from './fixtures'

test('the timeline lists each protocol step with secrets masked until revealed', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  const tokens = await idbTokens(page)
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')

  const timeline = page.getByRole('region', { name: 'Timeline' })
  const steps = timeline.getByRole('listitem')
  await expect(steps.filter({ hasText: 'authorize redirect' })).toHaveCount(1)
  await expect(steps.filter({ hasText: 'callback' })).toHaveCount(1)
  await expect(steps.filter({ hasText: 'code exchange' })).toContainText('200 OK')
  await expect(steps.filter({ hasText: 'API call' })).toContainText('/api/me')
  const masked = await timeline.innerText()
  expect(masked).not.toContain(String(tokens?.access_token))
  expect(masked).not.toContain(String(tokens?.refresh_token))

  await timeline.getByRole('checkbox', { name: 'Reveal secrets' }).check()
  const apiStep = steps.filter({ hasText: 'API call' })
  await apiStep.getByText('Request').click()
  await expect(apiStep).toContainText(`authorization: Bearer ${String(tokens?.access_token)}`)
})

test('Log out revokes the refresh and access tokens at the provider', async ({ page, servers }) => {
  await logIn(page, servers)
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect.poll(() => servers.provider.counters.revocations).toBe(2)
  const steps = page.getByRole('region', { name: 'Timeline' }).getByRole('listitem')
  await expect(steps.filter({ hasText: /revocation POST/ })).toHaveCount(2)
  // oidc-provider cannot revoke JWT access tokens (unsupported_token_type): noted, not an error.
  await expect(steps.filter({ hasText: 'logout' })).toContainText('unsupported_token_type')
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('a failing revocation endpoint still completes the local logout', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  const other = await page.context().newPage()
  await other.goto(servers.appUrl)
  await expect(other.getByRole('status')).toHaveText('Signed in')
  servers.provider.faults.revocationStatus = 503
  await page.getByRole('button', { name: 'Log out' }).click()
  for (const tab of [page, other]) await expect(tab.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page)).toBeUndefined()
  const steps = page.getByRole('region', { name: 'Timeline' }).getByRole('listitem')
  await expect(steps.filter({ hasText: 'logout' })).toContainText('signed out locally')
})
