// Checklist items 9, 10, 12, 12b, 12c: the code exchange answered badly (docs/security.md).
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { expect, idbTokens, logIn, test } from './fixtures'
import { expectRefused, startLogin, unsignedJwt } from './security-helpers'

type Fault = (ctx: any, next: () => Promise<void>) => Promise<void> | void // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fault that lets the real token endpoint answer, then edits its JSON body. */
const editBody =
  (edit: (body: Record<string, unknown>) => void): Fault =>
  async (ctx, next) => {
    await next()
    const body = { ...(ctx.body as Record<string, unknown>) }
    edit(body)
    ctx.body = body
  }

const malformed: [string, Fault][] = [
  [
    'an HTML page with status 200',
    (ctx) => {
      ctx.status = 200
      ctx.type = 'text/html'
      ctx.body = '<html><body><h1>Welcome back!</h1></body></html>'
    },
  ],
  [
    'an empty body',
    (ctx) => {
      ctx.status = 200
      ctx.type = 'application/json'
      ctx.body = ''
    },
  ],
  ['no access_token', editBody((body) => delete body.access_token)],
  ['token_type "mac"', editBody((body) => (body.token_type = 'mac'))],
  ['a negative expires_in', editBody((body) => (body.expires_in = -60))],
  ['a non-numeric expires_in', editBody((body) => (body.expires_in = 'soon'))],
]

for (const [what, fault] of malformed) {
  test(`item 9: a token answer with ${what} is refused`, async ({ page, servers }) => {
    servers.provider.faults.token = fault
    await startLogin(page, servers.appUrl)
    await expectRefused(page, 'invalid_token_response')
  })
}

test('item 9: token_type is compared case-insensitively ("BEARER" is a Bearer token)', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = editBody((body) => (body.token_type = 'BEARER'))
  await logIn(page, servers)
  expect((await idbTokens(page))?.token_type).toBe('Bearer')
})

test('item 10: a token endpoint that refuses CORS is refused, naming the origin to allow', async ({
  page,
  servers,
}) => {
  servers.provider.faults.refuseCors = true
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'cors_blocked')
  await expect(page.getByRole('alert')).toContainText(servers.appOrigin)
  // The request did reach the server: only the answer was withheld from the page.
  expect(servers.provider.counters.tokenRequests).toBe(1)
})

/** Signs with a key the provider never published. */
async function strangerSigner(header: Record<string, unknown> = {}) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(publicKey)
  return {
    jwk,
    sign: (h: Record<string, unknown>, claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ ...h, alg: 'RS256', ...header }).sign(privateKey),
  }
}

test("item 12: an ID token signed with another key under the provider's kid is refused", async ({
  page,
  servers,
}) => {
  const { sign } = await strangerSigner()
  servers.provider.faults.token = servers.provider.tamperIdToken(() => undefined, sign)
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'id_token_invalid')
  await expect(page.getByRole('alert')).toContainText('signature')
})

test('item 12: an unknown kid refetches the JWKS once, then the ID token is refused — no loop', async ({
  page,
  servers,
}) => {
  const { sign } = await strangerSigner({ kid: 'rotated-away' })
  servers.provider.faults.token = servers.provider.tamperIdToken(() => undefined, sign)
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'id_token_invalid')
  await expect(page.getByRole('alert')).toContainText('rotated-away')
  const jwksFetches = servers.provider.requests.filter((r) => r.route === 'jwks').length
  expect(jwksFetches).toBeGreaterThanOrEqual(1)
  expect(jwksFetches).toBeLessThanOrEqual(2)
})

test('item 12: keys named by the token (jwk, jku, x5u) are never trusted or fetched', async ({
  page,
  servers,
}) => {
  const jku = `${servers.provider.issuer}/attacker/jwks.json`
  const x5u = `${servers.provider.issuer}/attacker/cert.pem`
  // Signed by the attacker, who also hands over the key to check it with, three ways.
  const stranger = await strangerSigner({ kid: 'attacker' })
  servers.provider.faults.token = servers.provider.tamperIdToken(
    () => undefined,
    (header, claims) => stranger.sign({ ...header, jwk: stranger.jwk, jku, x5u }, claims),
  )
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'id_token_invalid')
  expect(servers.provider.requests.filter((r) => r.path.startsWith('/attacker'))).toEqual([])
})

for (const [what, sign] of [
  ['alg none', unsignedJwt],
  [
    'HS256 keyed with a public value',
    (header: Record<string, unknown>, claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ ...header, alg: 'HS256' })
        .sign(new TextEncoder().encode('the provider public modulus, used as an HMAC secret')),
  ],
] as const) {
  test(`item 12: an ID token with ${what} is refused`, async ({ page, servers }) => {
    servers.provider.faults.token = servers.provider.tamperIdToken(() => undefined, sign)
    await startLogin(page, servers.appUrl)
    await expectRefused(page, 'id_token_invalid')
    await expect(page.getByRole('alert')).toContainText('alg')
  })
}

const now = () => Math.floor(Date.now() / 1000)
for (const [what, edit] of [
  ['another iss', (c: Record<string, unknown>) => (c.iss = 'https://evil.example')],
  ['an aud without the client id', (c: Record<string, unknown>) => (c.aud = 'someone-else')],
  [
    'several audiences and no azp',
    (c: Record<string, unknown>) => (c.aud = ['pkce-console', 'someone-else']),
  ],
  ['no sub', (c: Record<string, unknown>) => delete c.sub],
  ['an exp in the past', (c: Record<string, unknown>) => (c.exp = now() - 600)],
] as const) {
  test(`item 12: an ID token signed by the provider with ${what} is refused`, async ({
    page,
    servers,
  }) => {
    servers.provider.faults.token = servers.provider.tamperIdToken((claims) => {
      edit(claims)
    })
    await startLogin(page, servers.appUrl)
    await expectRefused(page, 'id_token_invalid')
  })
}

test('item 12: an ID token from a refresh naming another sub signs the session out', async ({
  page,
  context,
  servers,
}) => {
  await logIn(page, servers)
  const other = await context.newPage()
  await other.goto(servers.appUrl)
  await expect(other.getByRole('status')).toHaveText('Signed in')
  servers.provider.faults.token = servers.provider.tamperIdToken((claims) => {
    claims.sub = 'mallory'
  })
  await page.getByRole('button', { name: 'Refresh now' }).click()
  for (const tab of [page, other]) {
    await expect(tab.getByRole('status')).toHaveText('Signed out')
    await expect(tab.getByRole('alert')).toContainText('id_token_invalid')
  }
  expect(await idbTokens(page)).toBeUndefined()
  expect(servers.provider.counters.refreshRequests).toBe(1)
})

test('item 12b: an opaque access token works the same, inspected as opaque', async ({
  page,
  servers,
}) => {
  servers.provider.settings.accessTokenFormat = 'opaque'
  await logIn(page, servers)
  const access = page.getByRole('region', { name: 'Access token' })
  await expect(access).toContainText('Signature not checked: opaque token')
  await expect(access.getByRole('table', { name: 'Access token claims' })).toHaveCount(0)
  const before = await idbTokens(page)
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect
    .poll(async () => (await idbTokens(page))?.access_token)
    .not.toBe(before?.access_token)
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

test('item 12c: an expired authorization code is refused with invalid_grant', async ({
  page,
  servers,
}) => {
  // Codes live one second; the token endpoint takes one second to start working on the request.
  servers.provider.settings.authorizationCodeTTL = 1
  servers.provider.faults.token = async (_ctx, next) => {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await next()
  }
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'invalid_grant')
  expect(servers.provider.counters.tokenRequests).toBe(1)
})

test('item 12c: 401 invalid_client is refused and points at the Client ID', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = (ctx) => {
    ctx.status = 401
    ctx.body = { error: 'invalid_client', error_description: 'client authentication failed' }
  }
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'invalid_client')
  await expect(page.getByRole('alert')).toContainText('Client ID')
})

test('item 12c: an HTML 502 is refused as the provider being down', async ({ page, servers }) => {
  servers.provider.faults.token = (ctx) => {
    ctx.status = 502
    ctx.type = 'text/html'
    ctx.body = '<html><body><h1>502 Bad Gateway</h1></body></html>'
  }
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'provider_unavailable')
  await expect(page.getByRole('alert')).toContainText('HTTP 502')
})
