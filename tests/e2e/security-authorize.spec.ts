// Checklist items 1–8: the authorization request and the redirect back (docs/security.md).
import { createHash } from 'node:crypto'
import { demoProfile, startOidcProvider } from '../providers/oidc.js'
import { expect, idbTokens, logIn, signInAtProvider, test } from './fixtures'
import { expectRefused, startLogin } from './security-helpers'

test('item 1: each login sends the S256 challenge of a fresh verifier that its code exchange proves', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect.poll(() => servers.provider.counters.codeExchanges).toBe(2)

  const { requests } = servers.provider
  const challenges = requests.filter((r) => r.route === 'authorization').map((r) => r.body)
  const verifiers = requests
    .filter((r) => r.route === 'token')
    .map((r) => String(r.body?.code_verifier))
  expect(challenges.map((c) => c?.code_challenge_method)).toEqual(['S256', 'S256'])
  for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/)
  expect(verifiers.map((v) => createHash('sha256').update(v).digest('base64url'))).toEqual(
    challenges.map((c) => c?.code_challenge),
  )
  expect(new Set(verifiers).size).toBe(2)
})

test('item 1b: metadata without S256 gets a warning before any redirect', async ({
  page,
  servers,
}) => {
  servers.provider.faults.discovery = (metadata) => {
    metadata.code_challenge_methods_supported = ['plain']
  }
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('pkce_unsupported')
  await expect(alert).toContainText('without S256')
  expect(page.url()).toBe(servers.appUrl)
  expect(servers.provider.requests.filter((r) => r.route === 'authorization')).toEqual([])

  // Warned: the next press goes ahead, still with S256 (never plain).
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  const auth = servers.provider.requests.find((r) => r.route === 'authorization')
  expect(auth?.body?.code_challenge_method).toBe('S256')
})

test('item 3: a login record older than ten minutes is refused with advice to start again', async ({
  page,
  servers,
}) => {
  await page.clock.install()
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByPlaceholder('Enter any login').fill('alice')
  // The user went for lunch at the provider's login page.
  await page.clock.fastForward('11:00')
  await signInAtProvider(page)

  await expectRefused(page, 'login_expired')
  await expect(page.getByRole('alert')).toContainText('Log in to start again')
  expect(servers.provider.counters.tokenRequests).toBe(0)
})

for (const [what, edit] of [
  ['a wrong nonce', (claims: Record<string, unknown>) => (claims.nonce = 'forged-nonce')],
  ['no nonce', (claims: Record<string, unknown>) => delete claims.nonce],
] as const) {
  test(`item 4: an ID token with ${what} is refused`, async ({ page, servers }) => {
    servers.provider.faults.token = servers.provider.tamperIdToken((claims) => {
      edit(claims)
    })
    await startLogin(page, servers.appUrl)
    await expectRefused(page, 'id_token_invalid')
    await expect(page.getByRole('alert')).toContainText('nonce')
    // The app asked for one: openid is in the demo scope.
    const auth = servers.provider.requests.find((r) => r.route === 'authorization')
    expect(auth?.body?.nonce).toMatch(/^[A-Za-z0-9_-]{20,}$/)
  })
}

for (const [what, edit] of [
  ['no iss', (url: URL) => url.searchParams.delete('iss')],
  ['another iss', (url: URL) => url.searchParams.set('iss', 'https://evil.example')],
  [
    'another iss and an error',
    (url: URL) => {
      url.searchParams.delete('code')
      url.searchParams.set('error', 'access_denied')
      url.searchParams.set('iss', 'https://evil.example')
    },
  ],
] as const) {
  test(`item 5: a callback with ${what} is refused as a possible mix-up`, async ({
    page,
    servers,
  }) => {
    servers.provider.faults.callback = (location) => {
      edit(location)
    }
    await startLogin(page, servers.appUrl)
    await expectRefused(page, 'iss_mismatch')
    // The iss check comes before an error in the callback is believed.
    await expect(page.getByRole('alert').filter({ hasText: 'access_denied' })).toHaveCount(0)
    expect(servers.provider.counters.tokenRequests).toBe(0)
  })
}

test("item 5: with two providers, a callback claiming to be A's never reaches B's token endpoint", async ({
  page,
  servers,
}) => {
  const other = await startOidcProvider({ redirectUris: [servers.appUrl], quiet: true })
  try {
    servers.setProviders({
      profiles: [
        demoProfile(servers.provider.issuer, 'a'),
        { ...demoProfile(other.issuer, 'b'), name: 'Provider B' },
      ],
      default: 'b',
    })
    // B's answer comes back dressed as A's (the mix-up attack of RFC 9207 §1).
    other.faults.callback = (location) => location.searchParams.set('iss', servers.provider.issuer)
    await startLogin(page, servers.appUrl)
    await expectRefused(page, 'iss_mismatch', 'b')
    expect(await idbTokens(page, 'a')).toBeUndefined()
    expect(other.counters.tokenRequests).toBe(0)
    expect(servers.provider.counters.tokenRequests).toBe(0)
  } finally {
    await other.close()
  }
})

test('item 5b: metadata naming another issuer is refused before the login leaves the app', async ({
  page,
  servers,
}) => {
  servers.provider.faults.discovery = (metadata) => {
    metadata.issuer = 'https://evil.example'
  }
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('alert')).toContainText('issuer_mismatch')
  expect(page.url()).toBe(servers.appUrl)
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  expect(servers.provider.requests.filter((r) => r.route === 'authorization')).toEqual([])
})

test('item 6: an error callback shows its code and description as text and deletes the login record', async ({
  page,
  servers,
}) => {
  const description = '<img src=x onerror="window.__xss=1">denied by policy'
  servers.provider.faults.callback = (location) => {
    location.searchParams.delete('code')
    location.searchParams.set('error', 'access_denied')
    location.searchParams.set('error_description', description)
  }
  await startLogin(page, servers.appUrl)
  await expectRefused(page, 'access_denied')
  await expect(page.getByRole('alert')).toContainText(description)
  await expect(page.getByRole('alert').getByRole('img')).toHaveCount(0)
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined()
  expect(servers.provider.counters.tokenRequests).toBe(0)
})

test('item 7: code and state leave the address bar and history, no Referer carries them, and an old callback URL sends nothing', async ({
  page,
  servers,
}) => {
  let callbackUrl = ''
  servers.provider.faults.callback = (location) => {
    callbackUrl = location.href
  }
  await logIn(page, servers)
  expect(callbackUrl).toContain('code=')
  expect(page.url()).toBe(servers.appUrl)
  const tokens = await idbTokens(page)

  // No request the app caused carries a Referer (the meta referrer policy is no-referrer).
  expect(servers.provider.requests.filter((r) => r.origin === servers.appOrigin)).not.toEqual([])
  const referers = servers.provider.requests.map((r) => r.referer ?? '')
  expect(referers.filter((referer) => referer.startsWith(servers.appOrigin))).toEqual([])
  expect(referers.filter((referer) => /[?&](code|state)=/.test(referer))).toEqual([])

  // Back leads to the provider's pages, never to a URL holding the code.
  await page.goBack()
  expect(page.url()).not.toMatch(/[?&](code|state)=/)
  await page.goForward()
  await expect(page.getByRole('status')).toHaveText('Signed in')

  // item 2 too: the same callback again (a reused state) is refused and sends nothing.
  await page.goto(callbackUrl)
  await expect(page.getByRole('alert')).toContainText('no_pending_login')
  expect(page.url()).toBe(servers.appUrl)
  expect(servers.provider.counters.tokenRequests).toBe(1)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  expect(await idbTokens(page)).toEqual(tokens)
})

test('item 8: the redirect URI is the registered one whatever the query says, and nothing redirects elsewhere', async ({
  page,
  servers,
}) => {
  const visited: string[] = []
  page.on('request', (request) => visited.push(request.url()))
  await page.goto(
    `${servers.appUrl}?redirect_uri=https://evil.example/&next=https://evil.example/&return_to=//evil.example`,
  )
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')

  const auth = servers.provider.requests.find((r) => r.route === 'authorization')
  expect(auth?.body?.redirect_uri).toBe(servers.appUrl)
  const exchange = servers.provider.requests.find((r) => r.route === 'token')
  expect(exchange?.body?.redirect_uri).toBe(servers.appUrl)
  expect(page.url()).toBe(servers.appUrl)
  expect(
    visited.filter((url) => url.includes('evil.example') && !url.startsWith(servers.appUrl)),
  ).toEqual([])
})
