import {
  NEXUS_CLIENT_ID,
  NEXUS_PRIVATE_CLIENT_ID,
  NEXUS_PRIVATE_SECRET,
  NEXUS_TOKEN_ISSUER,
  NEXUS_UNLISTED_KID,
} from '../providers/nexus-sim.js'
import { nexusSimProfile } from '../providers/sim-profiles.js'
import {
  expect,
  idbTokens,
  logInApproved,
  sendPreset,
  test,
  type Servers,
  type Simulators,
} from './fixtures'

/** Lists the Nexus Mods preset pointed at the simulator, selected by default. */
function useNexus(servers: Servers, sims: Simulators, extra: Record<string, unknown> = {}) {
  servers.setProviders({ profiles: [nexusSimProfile(sims.nexus.base, extra)], default: 'nexus' })
}

test('logs in exactly as the guide says: empty scope in both requests, S256, a form body', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  await logInApproved(page, servers)

  expect(sims.nexus.requestsTo('/.well-known/openid-configuration')).toHaveLength(1)
  const [authorize] = sims.nexus.requestsTo('/oauth/authorize')
  expect(Object.keys(authorize?.query ?? {}).sort()).toEqual(
    [
      'client_id',
      'code_challenge',
      'code_challenge_method',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ].sort(),
  )
  expect(authorize?.query).toMatchObject({
    client_id: NEXUS_CLIENT_ID,
    response_type: 'code',
    scope: '',
    redirect_uri: servers.appUrl,
    code_challenge_method: 'S256',
  })
  expect(authorize?.query.code_challenge).toMatch(/^[\w-]{43}$/)

  const exchanges = sims.nexus.requestsTo('/oauth/token')
  expect(exchanges).toHaveLength(1)
  const exchange = exchanges[0]
  expect(exchange?.contentType).toMatch(/^application\/x-www-form-urlencoded/)
  expect(exchange?.origin).toBe(servers.appOrigin)
  expect(Object.keys(exchange?.form ?? {}).sort()).toEqual(
    ['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri', 'scope'].sort(),
  )
  expect(exchange?.form).toMatchObject({
    grant_type: 'authorization_code',
    redirect_uri: servers.appUrl,
    scope: '',
    client_id: NEXUS_CLIENT_ID,
  })
  expect(exchange?.form?.code_verifier).toMatch(/^[\w~.-]{43,128}$/)
  expect(exchange?.form).not.toHaveProperty('client_secret')

  // expires_at = receipt time + expires_in: expires_in is the time remaining when Doorkeeper
  // answers, on its own clock, so created_at + expires_in would be off by the clock difference.
  const stored = await idbTokens(page, 'nexus')
  expect(stored?.expires_at).toBe(Number(stored?.received_at) + 6 * 3600 * 1000)
})

test('the access token shows the documented claims and Signature verified with the JWKS', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  await logInApproved(page, servers)
  const access = page.getByRole('region', { name: 'Access token' })
  await expect(access).toContainText('Signature verified with key nexus-sim-rs256')
  const claims = access.getByRole('table', { name: 'Access token claims' })
  const cell = (name: string) => claims.getByRole('row', { name: new RegExp(`^${name}\\b`) })
  await expect(cell('iss')).toContainText(NEXUS_TOKEN_ISSUER)
  await expect(cell('sub')).toContainText('12345')
  await expect(cell('application_id')).toContainText('100')
  await expect(cell('user\\.username')).toContainText('TestAccount')
  await expect(cell('user\\.membership_roles')).toContainText('lifetimepremium')
  await expect(claims.getByRole('rowheader', { name: 'jti' })).toBeVisible()
  await expect(claims.getByRole('rowheader', { name: 'user.premium_expiry' })).toBeVisible()
  await expect(claims.getByRole('rowheader', { name: 'aud' })).toHaveCount(0)
  // The iss is not the discovery issuer, and that is no reason for a warning with this preset.
  await expect(page.getByRole('list', { name: 'Access token warnings' })).toHaveCount(0)
  expect(sims.nexus.requestsTo('/oauth/discovery/keys').length).toBeGreaterThanOrEqual(1)
})

test('every API preset reaches the simulator with the bearer token', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  await logInApproved(page, servers)
  const token = String((await idbTokens(page, 'nexus'))?.access_token)

  await expect(await sendPreset(page, 'Userinfo')).toContainText('"name": "TestAccount"')
  await expect(await sendPreset(page, 'v1 tracked mods')).toContainText('skyrimspecialedition')
  await expect(await sendPreset(page, 'v2 GraphQL: current user')).toContainText(
    '"memberId": 12345',
  )
  for (const path of ['/oauth/userinfo', '/v1/user/tracked_mods.json', '/v2/graphql']) {
    const [call] = sims.nexus.requestsTo(path)
    expect(call?.authorization).toBe(`Bearer ${token}`)
    expect(call?.origin).toBe(servers.appOrigin)
  }
  expect(sims.nexus.requestsTo('/v2/graphql')[0]?.json).toEqual({
    query: '{ currentUser { name memberId } }',
  })
})

test('the Userinfo button calls the discovered userinfo endpoint and shows the answer', async ({
  page,
  servers,
  sims,
}) => {
  // No userinfo_endpoint in the profile: it comes from the simulator's discovery document.
  useNexus(servers, sims, { userinfo_endpoint: undefined, requests: [] })
  await logInApproved(page, servers)
  await page.getByRole('button', { name: 'Userinfo' }).click()
  const api = page.getByRole('region', { name: 'API' })
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
  await expect(api.getByRole('region', { name: 'Response body' })).toContainText('"sub": "12345"')
  const [call] = sims.nexus.requestsTo('/oauth/userinfo')
  expect(call?.authorization).toBe(
    `Bearer ${String((await idbTokens(page, 'nexus'))?.access_token)}`,
  )
})

test("the guide's 1024-bit key verifies what it signed, with a weak-key warning", async ({
  page,
  servers,
  sims,
}) => {
  sims.nexus.settings.accessTokenKey = 'guide-1024'
  useNexus(servers, sims, { verification_keys: [sims.nexus.guidePem] })
  await logInApproved(page, servers)
  await expect(page.getByRole('region', { name: 'Access token' })).toContainText(
    /Signature verified with key PEM sha256:[0-9a-f]{16} \(weak key: 1024-bit RSA, under the 2048 bits RFC 7518 §3\.3 requires\)/,
  )
})

test('an access token signed by a key the JWKS does not list is not checked, not invalid', async ({
  page,
  servers,
  sims,
}) => {
  sims.nexus.settings.accessTokenKey = 'unlisted'
  useNexus(servers, sims)
  await logInApproved(page, servers)
  const access = page.getByRole('region', { name: 'Access token' })
  await expect(access).toContainText(
    `Signature not checked: the provider publishes no key with kid "${NEXUS_UNLISTED_KID}"`,
  )
  await expect(access).not.toContainText('Signature invalid')
})

test('an expired token is refreshed at the token endpoint first, with the guide parameters', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  await page.clock.install()
  await logInApproved(page, servers)
  const before = await idbTokens(page, 'nexus')
  // Six hours pass for the browser and the provider alike (expiry counts from receipt).
  const later = Number(before?.expires_at) + 5_000
  sims.nexus.settings.clockOffsetMs = later - Date.now()
  await page.clock.setSystemTime(later)
  await sendPreset(page, 'v1 tracked mods')

  const [, refresh, extra] = sims.nexus.requestsTo('/oauth/token')
  expect(extra).toBeUndefined()
  expect(refresh?.contentType).toMatch(/^application\/x-www-form-urlencoded/)
  expect(refresh?.form).toEqual({
    grant_type: 'refresh_token',
    refresh_token: before?.refresh_token,
    client_id: NEXUS_CLIENT_ID,
  })
  const after = await idbTokens(page, 'nexus')
  expect(after?.refresh_token).not.toBe(before?.refresh_token) // rotated
  const [call] = sims.nexus.requestsTo('/v1/user/tracked_mods.json')
  expect(call?.authorization).toBe(`Bearer ${String(after?.access_token)}`)
})

test('a refresh answered 400 (the user revoked the app) signs out every tab with the error', async ({
  page,
  context,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  await logInApproved(page, servers)
  const other = await context.newPage()
  await other.goto(servers.appUrl)
  await expect(other.getByRole('status')).toHaveText('Signed in')
  sims.nexus.faults.refreshRefused = true
  await page.getByRole('button', { name: 'Refresh now' }).click()
  for (const tab of [page, other]) {
    await expect(tab.getByRole('status')).toHaveText('Signed out')
    await expect(tab.getByRole('alert')).toContainText('invalid_grant')
  }
  expect(await idbTokens(page, 'nexus')).toBeUndefined()
})

test('a token endpoint that refuses CORS is reported naming the origin', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  sims.nexus.faults.refuseCors = ['/oauth/token']
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('cors_blocked')
  await expect(alert).toContainText(
    `the provider does not allow requests from this app's origin (CORS)`,
  )
  await expect(alert).toContainText(`ask the provider to allow the origin ${servers.appOrigin}`)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  // The request did reach the server (a simple form POST): the browser hid the answer.
  expect(sims.nexus.requestsTo('/oauth/token')).toHaveLength(1)
  expect(await idbTokens(page, 'nexus')).toBeUndefined()
})

test('a denied authorization ends in an access_denied alert and no token request', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  sims.nexus.faults.denyAuthorization = true
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('alert')).toContainText('access_denied')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(sims.nexus.requestsTo('/oauth/token')).toHaveLength(0)
})

test('Log out revokes the refresh token, then the access token', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims)
  await logInApproved(page, servers)
  const tokens = await idbTokens(page, 'nexus')
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText(
    'revoked at the provider: refresh token revoked (200), access token revoked (200)',
  )
  const revocations = sims.nexus.requestsTo('/oauth/revoke').map((request) => request.form)
  expect(revocations).toEqual([
    { token: tokens?.refresh_token, token_type_hint: 'refresh_token', client_id: NEXUS_CLIENT_ID },
    { token: tokens?.access_token, token_type_hint: 'access_token', client_id: NEXUS_CLIENT_ID },
  ])
})

test('scope "openid profile email" also works: an ID token whose iss is the discovery issuer', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims, { scope: 'openid profile email' })
  await logInApproved(page, servers)
  const [authorize] = sims.nexus.requestsTo('/oauth/authorize')
  expect(authorize?.query.scope).toBe('openid profile email')
  expect(authorize?.query.nonce).toMatch(/^[\w-]{20,}$/)
  expect(sims.nexus.requestsTo('/oauth/token')[0]?.form?.scope).toBe('openid profile email')
  const idClaims = page
    .getByRole('region', { name: 'ID token' })
    .getByRole('table', { name: 'ID token claims' })
  await expect(idClaims.getByRole('row', { name: /^iss/ })).toContainText(sims.nexus.base)
  const accessClaims = page
    .getByRole('region', { name: 'Access token' })
    .getByRole('table', { name: 'Access token claims' })
  await expect(accessClaims.getByRole('row', { name: /^iss/ })).toContainText(NEXUS_TOKEN_ISSUER)
})

test('a private app sends its client_secret in the exchange and the refresh, and is warned', async ({
  page,
  servers,
  sims,
}) => {
  useNexus(servers, sims, {
    client_id: NEXUS_PRIVATE_CLIENT_ID,
    client_secret: NEXUS_PRIVATE_SECRET,
  })
  await logInApproved(page, servers)
  await expect(page.getByRole('note')).toContainText('A browser cannot keep a secret')
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => sims.nexus.requestsTo('/oauth/token').length).toBe(2)
  const [exchange, refresh] = sims.nexus.requestsTo('/oauth/token')
  expect(exchange?.form).toMatchObject({
    grant_type: 'authorization_code',
    client_id: NEXUS_PRIVATE_CLIENT_ID,
    client_secret: NEXUS_PRIVATE_SECRET,
    scope: '',
  })
  expect(refresh?.form).toMatchObject({
    grant_type: 'refresh_token',
    client_id: NEXUS_PRIVATE_CLIENT_ID,
    client_secret: NEXUS_PRIVATE_SECRET,
  })
  await expect(page.getByRole('status')).toHaveText('Signed in')
})
