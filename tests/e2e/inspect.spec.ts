import type { Locator, Page } from '@playwright/test'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { DEMO_CLIENT_ID } from '../providers/oidc.js'
import { expect, idbTokens, logIn, test } from './fixtures'

/** The one line of a token region that says what became of the signature. */
const signatureLine = (region: Locator) =>
  region.getByRole('paragraph').filter({ hasText: /^Signature (verified|invalid|not checked)/ })

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

async function mint(claims: Record<string, unknown>) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'test-es256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey)
  return { token, jwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid: 'test-es256' }) }
}

async function decode(page: Page, token: string, key: string): Promise<Locator> {
  const decoder = page.getByRole('region', { name: 'Decoder' })
  await decoder.getByRole('textbox', { name: 'Token' }).fill(token)
  await decoder.getByRole('textbox', { name: 'Key' }).fill(key)
  await decoder.getByRole('button', { name: 'Decode' }).click()
  return decoder
}

test('verifies the access and ID tokens with the JWKS, and says the refresh token is opaque', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  const access = page.getByRole('region', { name: 'Access token' })
  for (const region of [access, page.getByRole('region', { name: 'ID token' })]) {
    await expect(signatureLine(region)).toHaveText('Signature verified with key demo-rs256')
  }
  const refresh = page.getByRole('region', { name: 'Refresh token' })
  await expect(signatureLine(refresh)).toHaveText('Signature not checked: opaque token')

  // Claims are explained, times shown in ISO form too.
  const exp = access.getByRole('table', { name: 'Access token claims' }).getByRole('row', {
    name: /^exp/,
  })
  await expect(exp).toContainText('Expiration time')
  await expect(exp).toContainText(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z/)
  // Fresh tokens from the expected issuer deserve no warning.
  await expect(access.getByRole('list', { name: 'Access token warnings' })).toHaveCount(0)

  // The raw token is a secret: collapsed, but it can be copied.
  const tokens = await idbTokens(page)
  const tokenStart = String(tokens?.access_token).slice(0, 40)
  await expect(access).not.toContainText(tokenStart, { useInnerText: true })
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await access.getByRole('button', { name: 'Copy access token' }).click()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tokens?.access_token)
})

test('says "Signature invalid" when the only key is the wrong PEM', async ({ page, servers }) => {
  const { publicKey } = await generateKeyPair('RS256', { extractable: true })
  const issuer = servers.provider.issuer
  servers.setProviders({
    profiles: [
      {
        id: 'wrong-pem',
        name: 'Demo with a wrong PEM',
        issuer,
        discovery: false,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        verification_keys: [await exportSPKI(publicKey)],
        client_id: DEMO_CLIENT_ID,
        // No openid: an ID token no profile key verifies refuses the login itself (see
        // security-token.spec.ts), so only the access token is there to be found invalid.
        scope: 'api:read offline_access',
        authorization_params: { prompt: 'consent' },
      },
    ],
    default: 'wrong-pem',
  })
  await logIn(page, servers)
  await expect(signatureLine(page.getByRole('region', { name: 'Access token' }))).toHaveText(
    /^Signature invalid: no key verified it \(tried PEM sha256:[0-9a-f]{16}\)$/,
  )
  // No JWKS was asked for: discovery is off and the profile names none.
  expect(servers.provider.requests.filter((r) => r.route === 'jwks')).toEqual([])
})

test('the Decoder, without login, verifies a pasted token and catches an altered payload', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  const { token, jwk } = await mint({ sub: 'alice', role: 'user' })

  let decoder = await decode(page, token, jwk)
  await expect(signatureLine(decoder)).toHaveText('Signature verified with key test-es256')

  const [header, payload, signature] = token.split('.')
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object
  const altered = `${header ?? ''}.${b64({ ...claims, role: 'admin' })}.${signature ?? ''}`
  decoder = await decode(page, altered, jwk)
  await expect(signatureLine(decoder)).toHaveText(/^Signature invalid: no key verified it/)
  const table = decoder.getByRole('table', { name: 'Decoded token claims' })
  await expect(table.getByRole('row', { name: /^role/ })).toContainText('admin')
  // The pasted token never reaches the URL or storage.
  expect(page.url()).toBe(servers.appUrl)
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0)
})

test('renders hostile claims as text and links only https: values', async ({ page, servers }) => {
  await page.goto(servers.appUrl)
  const hostile = '<img src=x onerror=window.__xss=1>'
  const { token, jwk } = await mint({
    name: hostile,
    picture: 'javascript:window.__xss=2',
    website: 'https://example.com/alice',
  })
  const decoder = await decode(page, token, jwk)
  await expect(signatureLine(decoder)).toHaveText('Signature verified with key test-es256')
  const table = decoder.getByRole('table', { name: 'Decoded token claims' })
  await expect(table.getByRole('row', { name: /^name/ })).toContainText(hostile)
  await expect(table.getByRole('img')).toHaveCount(0)
  await expect(table.getByRole('link')).toHaveCount(1)
  await expect(table.getByRole('link', { name: 'https://example.com/alice' })).toBeVisible()
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined()
})
