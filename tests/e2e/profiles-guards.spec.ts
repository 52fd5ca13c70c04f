// Issue 10, items 7 and 4: a preset pointed at another server, and the profile and page holes
// (docs/security.md "Issue 10 — presets, profiles and the page").
import type { Page } from '@playwright/test'
import { demoProfile } from '../providers/oidc.js'
import { NEXUS_CLIENT_ID } from '../providers/nexus-sim.js'
import { expect, logInApproved, test } from './fixtures'

const REAL_NEXUS = 'https://users.nexusmods.com'

/** Records (and aborts) every request the page makes to the real Nexus Mods hosts. */
async function watchRealNexus(page: Page): Promise<string[]> {
  const seen: string[] = []
  await page.context().route(/^https:\/\/(users|api)\.nexusmods\.com\//, async (route) => {
    seen.push(route.request().url())
    await route.abort()
  })
  return seen
}

/** A providers.json with one profile `local`: the Nexus Mods preset with these fields over it. */
function localNexus(fields: Record<string, string>) {
  return {
    profiles: [{ id: 'local', preset: 'nexus-mods', client_id: NEXUS_CLIENT_ID, ...fields }],
    default: 'local',
  }
}

test('item 7: the Nexus preset pointed at another server neither lists nor trusts the real hosts', async ({
  page,
  servers,
  sims,
}) => {
  const real = await watchRealNexus(page)
  servers.setProviders(localNexus({ issuer: sims.nexus.base, scope: '' }))
  await logInApproved(page, servers)
  // Host-free values still apply: the name, and the nexus-user-service access-token issuer.
  await expect(page.getByRole('combobox', { name: 'Provider' })).toHaveText(/Nexus Mods/)
  await expect(page.getByRole('region', { name: 'Access token' })).toContainText(
    'Signature verified with key nexus-sim-rs256',
  )
  await expect(page.getByRole('list', { name: 'Access token warnings' })).toHaveCount(0)

  const api = page.getByRole('region', { name: 'API' })
  await expect(api.getByRole('combobox', { name: 'Request' }).getByRole('option')).toHaveCount(0)
  await api.getByRole('textbox', { name: 'URL' }).fill(`${REAL_NEXUS}/oauth/userinfo`)
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByRole('button', { name: `Send token to ${REAL_NEXUS}` })).toBeVisible()
  expect(real).toEqual([])
})

test('item 7: with discovery failing, Log in refuses fallback endpoints off the issuer host', async ({
  page,
  servers,
  sims,
}) => {
  const real = await watchRealNexus(page)
  servers.setProviders(
    localNexus({
      issuer: `${sims.nexus.base}/missing`,
      authorization_endpoint: `${REAL_NEXUS}/oauth/authorize`,
      token_endpoint: `${sims.nexus.base}/missing/oauth/token`,
    }),
  )
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('fallback_off_issuer')
  await expect(alert).toContainText("The profile's authorization_endpoint is not on its issuer")
  expect(page.url()).toBe(servers.appUrl)
  expect(real).toEqual([])
  expect(sims.nexus.requestsTo('/oauth/authorize')).toEqual([])
})

test('item 4: a response in the fragment is cleaned from the address bar and refused', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  const authorize = page.waitForRequest((request) => request.url().includes('state='))
  await page.getByRole('button', { name: 'Log in' }).click()
  const state = new URL((await authorize).url()).searchParams.get('state')
  await expect(page.getByPlaceholder('Enter any login')).toBeVisible()
  expect(state).toBeTruthy()
  await page.goto(`${servers.appUrl}#code=fragment-code&state=${state ?? ''}`)
  await expect(page.getByRole('alert')).toContainText('fragment_response')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(page.url()).toBe(servers.appUrl)
  expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).not.toContain(
    state ?? '-',
  )
  expect(servers.provider.requests.filter((r) => r.route === 'token')).toEqual([])
})

test('item 4: with site data blocked the page says so, Log in stays, the Decoder works', async ({
  page,
  servers,
}) => {
  await page.context().addInitScript(() => {
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    }
    Object.defineProperty(window, 'sessionStorage', { get: blocked })
    Object.defineProperty(window, 'indexedDB', { get: blocked })
  })
  await page.goto(servers.appUrl)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('site_data_blocked')
  await expect(alert).toContainText('Allow site data')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(alert).toHaveCount(2)
  expect(page.url()).toBe(servers.appUrl)

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const decoder = page.getByRole('region', { name: 'Decoder' })
  await decoder
    .getByRole('textbox', { name: 'Token' })
    .fill(`${b64({ alg: 'RS256' })}.${b64({ sub: 'alice' })}.c2ln`)
  await decoder.getByRole('button', { name: 'Decode' }).click()
  const table = decoder.getByRole('table', { name: 'Decoded token claims' })
  await expect(table.getByRole('row', { name: /^sub/ })).toContainText('alice')
})

test('item 4: an import that points a listed profile at another server asks first', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  const moved = { ...demoProfile('https://id.elsewhere.test'), name: 'Moved demo' }
  await page.getByRole('button', { name: 'Import profiles' }).click()
  await page.getByRole('textbox', { name: 'Profiles JSON' }).fill(JSON.stringify([moved]))
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  const list = page.getByRole('list', { name: 'Profiles to replace' })
  await expect(list.getByRole('listitem')).toHaveText([
    'Demo provider (oidc-provider) (demo): issuer, requests change; its tokens in this browser are forgotten, and the next login goes to the new server',
  ])
  const picker = page.getByRole('combobox', { name: 'Provider' })
  await expect(picker.getByRole('option', { name: 'Moved demo' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Replace profiles' }).click()
  await expect(picker.getByRole('option', { name: 'Moved demo' })).toHaveCount(1)
})
