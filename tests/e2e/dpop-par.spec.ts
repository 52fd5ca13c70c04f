import type { Page } from '@playwright/test'
import { DEMO_RESOURCE, PAR_CLIENT_ID, demoProfile, startOidcProvider } from '../providers/oidc.js'
import { startDpopResource } from '../providers/dpop-resource.js'
import {
  APP_NAMESPACE,
  test as base,
  expect,
  idbTokens,
  sendPreset,
  signInAtProvider,
} from './fixtures'

type OidcProvider = Awaited<ReturnType<typeof startOidcProvider>>
type DpopResource = Awaited<ReturnType<typeof startDpopResource>>

interface DpopServers {
  appUrl: string
  provider: OidcProvider
  resource: DpopResource
}

const API = 'Who am I (DPoP)'

/**
 * An oidc-provider that demands DPoP with nonces (and PAR of its second client), and a resource
 * server that checks every proof; the app lists a DPoP profile (default) and a PAR one.
 */
const test = base.extend<{ dpop: DpopServers }, { workerDpop: Omit<DpopServers, 'appUrl'> }>({
  workerDpop: [
    async ({ workerServers }, use) => {
      const provider = await startOidcProvider({
        redirectUris: [workerServers.appUrl],
        accessTokenTTL: 300,
        quiet: true,
        dpop: true,
      })
      const resource = await startDpopResource({
        issuer: provider.issuer,
        audience: DEMO_RESOURCE,
        allowedOrigins: [workerServers.appOrigin],
      })
      await use({ provider, resource })
      await resource.close()
      await provider.close()
    },
    { scope: 'worker' },
  ],
  dpop: async ({ workerDpop, servers }, use) => {
    workerDpop.provider.reset()
    workerDpop.resource.reset()
    const { issuer } = workerDpop.provider
    const requests = [{ name: API, method: 'GET', url: `${workerDpop.resource.url}/me` }]
    servers.setProviders({
      profiles: [
        { ...demoProfile(issuer, 'dpop'), name: 'DPoP provider', dpop: true, requests },
        {
          ...demoProfile(issuer, 'par'),
          name: 'PAR provider',
          client_id: PAR_CLIENT_ID,
          dpop: true,
          par: true,
          requests,
        },
      ],
      default: 'dpop',
    })
    await use({ ...workerDpop, appUrl: servers.appUrl })
  },
})

async function logIn(page: Page, dpop: DpopServers, provider = 'DPoP provider') {
  await page.goto(dpop.appUrl)
  await page.getByRole('combobox', { name: 'Provider' }).selectOption({ label: provider })
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
}

/** What IndexedDB holds of the session's key: its thumbprint, and whether it can be exported. */
async function storedKey(page: Page, profileId = 'dpop') {
  return page.evaluate(
    ({ id, database }) =>
      new Promise<{ jkt: string; extractable: boolean; exported: string } | undefined>(
        (resolve, reject) => {
          const open = indexedDB.open(database)
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const get = open.result.transaction('kv').objectStore('kv').get(`tokens:${id}`)
            get.onerror = () => reject(get.error)
            get.onsuccess = () => {
              const stored = get.result as
                { dpop?: { jkt: string; keyPair: CryptoKeyPair } } | undefined
              if (stored?.dpop === undefined) {
                resolve(undefined)
                return
              }
              const { jkt, keyPair } = stored.dpop
              crypto.subtle.exportKey('jwk', keyPair.privateKey).then(
                () =>
                  resolve({ jkt, extractable: keyPair.privateKey.extractable, exported: 'yes' }),
                (error: unknown) =>
                  resolve({
                    jkt,
                    extractable: keyPair.privateKey.extractable,
                    exported: `rejected: ${String(error)}`,
                  }),
              )
            }
          }
        },
      ),
    { id: profileId, database: APP_NAMESPACE },
  )
}

/** The `cnf.jkt` of the stored access token (a JWT here: resource indicators). */
async function boundJkt(page: Page, profileId = 'dpop'): Promise<unknown> {
  const token = String((await idbTokens(page, profileId))?.access_token)
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    cnf?: { jkt?: string }
  }
  return payload.cnf?.jkt
}

test('DPoP: login, API call, Refresh now and reload keep one non-extractable key; a new login gets a new one', async ({
  page,
  dpop,
}) => {
  await logIn(page, dpop)
  const key = await storedKey(page)
  expect(key?.extractable).toBe(false)
  expect(key?.exported).toMatch(/^rejected/)
  expect(await boundJkt(page)).toBe(key?.jkt)
  const accessToken = page.getByRole('region', { name: 'Access token' })
  await expect(accessToken.getByText(`Bound to DPoP key ${String(key?.jkt)}`)).toBeVisible()
  await expect(accessToken).not.toContainText('differs')

  // The code exchange: a proof, a nonce asked for, one retry with it.
  const exchanges = dpop.provider.requests.filter((r) => r.route === 'token')
  expect(exchanges.map((r) => r.dpop !== undefined)).toEqual([true, true])
  expect(dpop.provider.counters.codeExchanges).toBe(1)

  // The API: `Authorization: DPoP`, the resource server's nonce asked for once, then accepted.
  await expect(await sendPreset(page, API)).toContainText('"sub": "alice"')
  expect(dpop.resource.log.map((entry) => entry.outcome.split(':')[0])).toEqual([
    'use_dpop_nonce',
    'ok',
  ])
  expect(dpop.resource.log.every((entry) => entry.scheme === 'DPoP')).toBe(true)
  // The second send: the status already reads 200 from the first, so wait for the server's log,
  // whose entry is written as the request arrives and judged once its proof is checked.
  await sendPreset(page, API)
  await expect
    .poll(() => dpop.resource.log.map((entry) => entry.outcome.split(':')[0]))
    .toEqual(['use_dpop_nonce', 'ok', 'ok'])

  // Refresh now: the refresh token is bound to the same key (oidc-provider binds public clients').
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => dpop.provider.counters.refreshRequests).toBe(1)
  await expect(accessToken.getByText(`Bound to DPoP key ${String(key?.jkt)}`)).toBeVisible()
  expect((await storedKey(page))?.jkt).toBe(key?.jkt)

  // Reload: the same key, still not exportable, still accepted.
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const reloaded = await storedKey(page)
  expect(reloaded).toEqual(key)
  await sendPreset(page, API)
  expect(dpop.resource.log.at(-1)?.outcome).toBe('ok')

  // A second login replaces the key.
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await storedKey(page)).toBeUndefined()
  await page.getByRole('button', { name: 'Log in' }).click()
  // Still signed in at the provider: only its consent page.
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const second = await storedKey(page)
  expect(second?.jkt).not.toBe(key?.jkt)
  expect(await boundJkt(page)).toBe(second?.jkt)
})

test('DPoP: two tabs with an expired token refresh once and revoke no grant', async ({
  context,
  page,
  dpop,
}) => {
  // Short enough that the clock jump past expiry stays inside the resource server's iat window.
  dpop.provider.settings.accessTokenTTL = 30
  await page.clock.install()
  await logIn(page, dpop)
  const other = await context.newPage()
  await other.goto(dpop.appUrl)
  await expect(other.getByRole('status')).toHaveText('Signed in')
  const before = await idbTokens(page, 'dpop')
  await page.clock.setSystemTime(Number(before?.expires_at) + 5_000)
  await Promise.all([sendPreset(page, API), sendPreset(other, API)])
  expect(dpop.provider.counters.refreshRequests).toBe(1)
  expect(dpop.provider.counters.grantsRevoked).toBe(0)
  const after = await idbTokens(page, 'dpop')
  expect(after?.access_token).not.toBe(before?.access_token)
  expect(dpop.resource.log.filter((entry) => entry.outcome === 'ok')).toHaveLength(2)
})

test('PAR: the browser leaves with only client_id and request_uri; the timeline shows the push', async ({
  page,
  dpop,
}) => {
  await logIn(page, dpop, 'PAR provider')
  const pushed = dpop.provider.requests.filter((r) => r.route === 'pushed_authorization_request')
  expect(pushed.length).toBeGreaterThanOrEqual(1)
  expect(pushed.at(-1)?.dpop).toBeDefined()
  expect(pushed.at(-1)?.body?.code_challenge_method).toBe('S256')
  const authorize = dpop.provider.requests.find((r) => r.route === 'authorization')
  expect(Object.keys(authorize?.query ?? {}).sort()).toEqual(['client_id', 'request_uri'])
  await expect(
    page.getByRole('region', { name: 'Timeline' }).getByText('pushed authorization request'),
  ).not.toHaveCount(0)
  const key = await storedKey(page, 'par')
  expect(await boundJkt(page, 'par')).toBe(key?.jkt)
  await expect(await sendPreset(page, API)).toContainText('"sub": "alice"')
})

test('a DPoP-bound token sent as a Bearer token is refused by the resource server', async ({
  page,
  dpop,
}) => {
  await logIn(page, dpop)
  const token = String((await idbTokens(page, 'dpop'))?.access_token)
  const answer = await fetch(`${dpop.resource.url}/me`, {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(answer.status).toBe(401)
  expect(answer.headers.get('www-authenticate')).toContain('invalid_token')
})
