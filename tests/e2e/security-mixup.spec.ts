// Issue 10, items 1 and 2: the mix-up hole, and tokens bound to the server that issued them
// (docs/security.md, "Mix-up and token binding").
import type { Page } from '@playwright/test'
import { DEMO_CLIENT_ID, demoProfile, startOidcProvider } from '../providers/oidc.js'
import { startMixUpAttacker } from '../providers/mixup-attacker.js'
import {
  APP_NAMESPACE,
  expect,
  idbTokens,
  logIn,
  sendPreset,
  signInAtProvider,
  test,
} from './fixtures'
import { expectRefused } from './security-helpers'

/** The honest provider's authorization endpoint, from its own metadata. */
async function authorizationEndpoint(issuer: string): Promise<string> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`)
  const metadata = (await response.json()) as { authorization_endpoint: string }
  return metadata.authorization_endpoint
}

const status = (page: Page) => page.getByRole('status')

for (const [what, profileOf] of [
  [
    'names no issuer (the MyNickname shape)',
    (attacker: string) => ({
      id: 'b',
      name: 'Provider B',
      authorization_endpoint: `${attacker}/authorize`,
      token_endpoint: `${attacker}/token`,
      client_id: DEMO_CLIENT_ID,
      scope: 'openid',
    }),
  ],
  [
    "copies A's issuer string, with its own token endpoint and no discovery",
    (attacker: string, issuer: string) => ({
      id: 'b',
      name: 'Provider B',
      issuer,
      authorization_endpoint: `${attacker}/authorize`,
      token_endpoint: `${attacker}/token`,
      client_id: DEMO_CLIENT_ID,
      scope: 'openid',
    }),
  ],
] as const) {
  test(`item 10.1: a provider B that ${what} and forwards the login to A never receives A's code or verifier`, async ({
    page,
    servers,
  }) => {
    const honest = await authorizationEndpoint(servers.provider.issuer)
    const attacker = await startMixUpAttacker({ target: () => honest })
    try {
      servers.setProviders({
        profiles: [
          demoProfile(servers.provider.issuer, 'a'),
          profileOf(attacker.origin, servers.provider.issuer),
        ],
        default: 'b',
      })
      await page.goto(servers.appUrl)
      await page.getByRole('button', { name: 'Log in' }).click()
      // B sent the browser on to A, which asks the user to sign in and answers with iss=A.
      await signInAtProvider(page)
      await expectRefused(page, 'iss_mismatch', 'b')
      await expect(page.getByRole('alert').filter({ hasText: 'iss_mismatch' })).toContainText(
        'Issuer',
      )
      expect(attacker.requests.map((r) => r.path)).toEqual(['/authorize'])
      expect(attacker.tokenRequests()).toEqual([])
      expect(servers.provider.counters.tokenRequests).toBe(0)
      expect(await idbTokens(page, 'a')).toBeUndefined()
    } finally {
      await attacker.close()
    }
  })
}

test('item 10.2b: tokens are forgotten with a note when the site points a profile id at another server', async ({
  page,
  servers,
}) => {
  const other = await startOidcProvider({ redirectUris: [servers.appUrl], quiet: true })
  try {
    await logIn(page, servers)
    const held = await idbTokens(page)
    servers.setProviders({ profiles: [demoProfile(other.issuer)], default: 'demo' })
    await page.reload()
    await expect(page.getByRole('alert').filter({ hasText: 'server_changed' })).toHaveCount(1)
    await expect(status(page)).toHaveText('Signed out')
    expect(await idbTokens(page)).toBeUndefined()
    // Nothing of A's went to B: no refresh, no API call, no revocation.
    expect(other.requests.filter((r) => r.route !== 'discovery')).toEqual([])
    expect(JSON.stringify(other.requests)).not.toContain(String(held?.access_token))
  } finally {
    await other.close()
  }
})

test("item 10.2a: a profile re-pointed and logged in at in one tab: the other tab never sends the new server's tokens to the old one", async ({
  page,
  context,
  servers,
}) => {
  const other = await startOidcProvider({ redirectUris: [servers.appUrl], quiet: true })
  try {
    await logIn(page, servers)
    const second = await context.newPage()
    await second.goto(servers.appUrl)
    await expect(status(second)).toHaveText('Signed in')

    // Tab 1 points the profile at provider B.
    await page.getByRole('button', { name: 'Edit profile' }).click()
    const form = page.getByRole('form', { name: 'Profile' })
    await form.getByRole('textbox', { name: 'Issuer' }).fill(other.issuer)
    await form
      .getByRole('textbox', { name: 'Requests' })
      .fill(JSON.stringify([{ name: 'Who am I', method: 'GET', url: `${other.issuer}/api/me` }]))
    await form.getByRole('button', { name: 'Save' }).click()
    await expect(status(page)).toHaveText('Signed out')
    // Tab 2 follows the change without a reload.
    await expect(status(second)).toHaveText('Signed out')

    await page.getByRole('button', { name: 'Log in' }).click()
    await signInAtProvider(page)
    await expect(status(page)).toHaveText('Signed in')
    await expect(status(second)).toHaveText('Signed in')
    await expect(await sendPreset(second, 'Who am I')).toContainText('alice')

    // A never saw a request after the profile moved: no refresh, no API call with B's token.
    expect(servers.provider.counters.tokenRequests).toBe(1)
    expect(servers.provider.counters.apiCalls).toBe(0)
    expect(other.counters.apiCalls).toBe(1)
    await second.close()
  } finally {
    await other.close()
  }
})

test('item 10.2c: two copies of the app on one origin share no tokens and no sign-out', async ({
  page,
  context,
  servers,
}) => {
  await logIn(page, servers)
  const staging = await context.newPage()
  await staging.goto(servers.stagingUrl)
  // The staging copy does not see production's tokens...
  await expect(status(staging)).toHaveText('Signed out')
  await staging.getByRole('button', { name: 'Log in' }).click()
  // Already signed in at the provider: only its consent page.
  await staging.getByRole('button', { name: 'Continue' }).click()
  await expect(status(staging)).toHaveText('Signed in')
  // ...and its Log out does not reach production's tab through a shared channel.
  await staging.getByRole('button', { name: 'Log out' }).click()
  await expect(status(staging)).toHaveText('Signed out')
  await page.reload()
  await expect(status(page)).toHaveText('Signed in')
  expect(APP_NAMESPACE).toContain('/tools/pkce-console/')
  expect(await idbTokens(page)).toBeDefined()
  await staging.close()
})
