import { PassThrough } from 'node:stream'
import { demoProfile } from '../providers/oidc.js'
import { expect, logIn, signInAtProvider, test, type Servers } from './fixtures'

/**
 * Issue 10 item 6 against the real oidc-provider made to misbehave as a real provider did: its
 * discovery URL answers with a redirect. The demo profile, with the endpoints given by hand too,
 * so the login works on the fallback.
 */
function redirectingDiscovery(servers: Servers) {
  const issuer = servers.provider.issuer
  servers.setProviders({
    profiles: [
      {
        ...demoProfile(issuer),
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/me`,
        jwks_uri: `${issuer}/jwks`,
      },
    ],
    default: 'demo',
  })
  servers.provider.faults.discovery = (_metadata, ctx: { redirect(url: string): void }) => {
    ctx.redirect(`${issuer}/.well-known/openid-configuration/`)
  }
}

const discoveryRequests = (servers: Servers) =>
  servers.provider.requests.filter((request) => request.path.startsWith('/.well-known/')).length

test('a discovery redirect is named as such, alerted once, and asked for once per page', async ({
  page,
  servers,
}) => {
  redirectingDiscovery(servers)
  await logIn(page, servers)
  const alert = page.getByRole('alert')
  await expect(alert).toHaveCount(1)
  await expect(alert).toContainText('discovery_failed')
  await expect(alert).toContainText('/.well-known/openid-configuration answered with a redirect')
  await expect(alert).toContainText('must serve discovery at exactly')
  await expect(alert).not.toContainText('cors_blocked')

  await page.getByRole('button', { name: 'Userinfo' }).click()
  const api = page.getByRole('region', { name: 'API' })
  // oidc-provider's userinfo refuses the demo API's JWT access token (401); answered is enough.
  await expect(api.getByLabel('Response status')).toHaveText(/^\d{3} /)
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(alert).toHaveCount(1)
  // Two attempts (OIDC, RFC 8414) before the login's redirect, two on the callback's page load.
  expect(discoveryRequests(servers)).toBe(4)

  const timeline = page.getByRole('region', { name: 'Timeline' }).getByRole('listitem')
  const discovery = timeline.filter({ hasText: 'openid-configuration' })
  await expect(discovery).toHaveCount(1)
  await expect(discovery).toContainText('→ redirect (not followed)')
  // Discovery failed and the profile names no revocation endpoint: nothing was revoked, and it says so.
  expect(servers.provider.counters.revocations).toBe(0)
  await expect(timeline.filter({ hasText: 'logout' }).last()).toContainText(
    'not revoked: the provider names no revocation endpoint; the refresh token stays valid until it expires or you revoke the app at the provider',
  )
})

test('a token answer whose body stalls after the headers ends in timeout', async ({
  page,
  servers,
}) => {
  const stalled = new PassThrough()
  // The app gives up first; the closed connection is expected, not a server error.
  stalled.on('error', () => undefined)
  servers.provider.faults.token = async (ctx, next) => {
    await next()
    // The headers go out, the body never ends: a half-answer, not a slow one.
    stalled.write('{"access_token":')
    ctx.body = stalled
    ctx.type = 'application/json'
  }
  await page.clock.install()
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect.poll(() => servers.provider.counters.tokenRequests).toBe(1)
  await page.clock.fastForward(16_000)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('timeout')
  await expect(alert).not.toContainText('parse')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  stalled.end()
})

test('an API answer that redirects is shown as a redirect, not followed, and the token sent once', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  // Another origin (the app's): following would show its page as the API's answer.
  servers.provider.faults.apiRedirect = `${servers.appUrl}elsewhere`
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('redirect (not followed)')
  await expect(api.getByRole('region', { name: 'Response body' })).toHaveText('')
  expect(servers.provider.apiTokens).toHaveLength(1)
  await expect(page.getByRole('alert')).toHaveCount(0)
})
