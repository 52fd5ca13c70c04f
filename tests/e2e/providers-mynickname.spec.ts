import {
  MYNICKNAME_CLIENT_ID,
  MYNICKNAME_SECRET,
  MYNICKNAME_SECRET_CLIENT_ID,
} from '../providers/mynickname-sim.js'
import { myNicknameSimProfile } from '../providers/sim-profiles.js'
import {
  expect,
  idbTokens,
  logInApproved,
  sendPreset,
  test,
  type Servers,
  type Simulators,
} from './fixtures'

type Flow = 'pkce' | 'secret'

/** Lists both MyNickname profiles (PKCE and secret) against the simulator; `flow` is selected. */
function useMyNickname(servers: Servers, sims: Simulators, flow: Flow) {
  const base = sims.myNickname.base
  servers.setProviders({
    profiles: [myNicknameSimProfile(base), myNicknameSimProfile(base, { secret: true })],
    default: flow === 'secret' ? 'mynickname-secret' : 'mynickname-pkce',
  })
}

const profileId = (flow: Flow) => (flow === 'secret' ? 'mynickname-secret' : 'mynickname-pkce')

test('the PKCE flow sends exactly the documented parameters, with S256 and no secret', async ({
  page,
  servers,
  sims,
}) => {
  useMyNickname(servers, sims, 'pkce')
  await logInApproved(page, servers)
  const [authorize] = sims.myNickname.requestsTo('/oauth/authenticate')
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
    response_type: 'code',
    client_id: MYNICKNAME_CLIENT_ID,
    redirect_uri: servers.appUrl,
    scope: 'basic email',
    code_challenge_method: 'S256',
  })
  const [exchange] = sims.myNickname.requestsTo('/oauth/access_token')
  expect(exchange?.contentType).toMatch(/^application\/x-www-form-urlencoded/)
  expect(exchange?.origin).toBe(servers.appOrigin)
  expect(Object.keys(exchange?.form ?? {}).sort()).toEqual(
    ['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri'].sort(),
  )
  expect(exchange?.form).toMatchObject({
    grant_type: 'authorization_code',
    client_id: MYNICKNAME_CLIENT_ID,
    redirect_uri: servers.appUrl,
  })
  await expect(page.getByRole('note')).toHaveCount(0) // no secret, no warning
})

test('the secret-based flow sends client_secret and no PKCE, and warns about the secret', async ({
  page,
  servers,
  sims,
}) => {
  useMyNickname(servers, sims, 'secret')
  await page.goto(servers.appUrl)
  await expect(page.getByRole('note')).toContainText('A browser cannot keep a secret')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  await expect(page.getByRole('note')).toContainText('A browser cannot keep a secret')

  const [authorize] = sims.myNickname.requestsTo('/oauth/authenticate')
  expect(Object.keys(authorize?.query ?? {}).sort()).toEqual(
    ['client_id', 'redirect_uri', 'response_type', 'scope', 'state'].sort(),
  )
  expect(authorize?.query.client_id).toBe(MYNICKNAME_SECRET_CLIENT_ID)
  const [exchange] = sims.myNickname.requestsTo('/oauth/access_token')
  expect(Object.keys(exchange?.form ?? {}).sort()).toEqual(
    ['client_id', 'client_secret', 'code', 'grant_type', 'redirect_uri'].sort(),
  )
  expect(exchange?.form).toMatchObject({
    grant_type: 'authorization_code',
    client_id: MYNICKNAME_SECRET_CLIENT_ID,
    client_secret: MYNICKNAME_SECRET,
    redirect_uri: servers.appUrl,
  })
})

for (const flow of ['pkce', 'secret'] as const) {
  test(`${flow} flow: both nickname resources answer with the bearer token`, async ({
    page,
    servers,
    sims,
  }) => {
    useMyNickname(servers, sims, flow)
    await logInApproved(page, servers)
    const token = String((await idbTokens(page, profileId(flow)))?.access_token)
    await expect(await sendPreset(page, 'Nickname')).toContainText('"nickname": "NightOwl"')
    await expect(await sendPreset(page, 'Nicknames')).toContainText('"nickname": "Owlette"')
    for (const path of ['/v1/nickname', '/v1/nicknames']) {
      const calls = sims.myNickname.requestsTo(path)
      expect(calls.map((call) => call.authorization)).toEqual([`Bearer ${token}`])
    }
  })

  test(`${flow} flow: an expired token is refreshed at /oauth/refresh_token, never /oauth/access_token`, async ({
    page,
    servers,
    sims,
  }) => {
    useMyNickname(servers, sims, flow)
    await page.clock.install()
    await logInApproved(page, servers)
    const before = await idbTokens(page, profileId(flow))
    const later = Number(before?.expires_at) + 5_000
    sims.myNickname.settings.clockOffsetMs = later - Date.now()
    await page.clock.setSystemTime(later)
    await sendPreset(page, 'Nickname')

    const refreshes = sims.myNickname.requestsTo('/oauth/refresh_token')
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]?.contentType).toMatch(/^application\/x-www-form-urlencoded/)
    expect(refreshes[0]?.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refresh_token,
      ...(flow === 'secret'
        ? { client_id: MYNICKNAME_SECRET_CLIENT_ID, client_secret: MYNICKNAME_SECRET }
        : { client_id: MYNICKNAME_CLIENT_ID }),
    })
    // The code exchange is the only request the access-token endpoint ever saw.
    expect(
      sims.myNickname.requestsTo('/oauth/access_token').map((r) => r.form?.grant_type),
    ).toEqual(['authorization_code'])
    const after = await idbTokens(page, profileId(flow))
    expect(after?.refresh_token).not.toBe(before?.refresh_token)
    const [call] = sims.myNickname.requestsTo('/v1/nickname')
    expect(call?.authorization).toBe(`Bearer ${String(after?.access_token)}`)
  })
}

test('a refresh refused with 400 signs out every tab with the error', async ({
  page,
  context,
  servers,
  sims,
}) => {
  useMyNickname(servers, sims, 'pkce')
  await logInApproved(page, servers)
  const other = await context.newPage()
  await other.goto(servers.appUrl)
  await expect(other.getByRole('status')).toHaveText('Signed in')
  sims.myNickname.faults.refreshRefused = true
  await page.getByRole('button', { name: 'Refresh now' }).click()
  for (const tab of [page, other]) {
    await expect(tab.getByRole('status')).toHaveText('Signed out')
    await expect(tab.getByRole('alert')).toContainText('invalid_grant')
  }
  expect(sims.myNickname.requestsTo('/oauth/refresh_token')).toHaveLength(1)
})

test('a provider refusing CORS is reported naming the origin', async ({ page, servers, sims }) => {
  useMyNickname(servers, sims, 'pkce')
  sims.myNickname.faults.refuseCors = true
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('cors_blocked')
  await expect(alert).toContainText(servers.appOrigin)
  await expect(page.getByRole('status')).toHaveText('Signed out')
})
