import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Profile } from '../../src/core/profile/types'
import { inspectPastedToken, inspectProfileToken } from '../../src/console/inspect'
import { memoryStore } from '../../src/core/storage/kv'
import { isRefusal, signatureLine } from '../../src/core/jwt/signature'
import { json, scriptedFetch } from './fake-fetch'

const NOW = 1_700_000_000_000
const nexusLike: Profile = {
  id: 'nexus',
  name: 'Nexus-like',
  preset: 'nexus-mods',
  issuer: 'https://users.example.test',
  authorization_endpoint: 'https://users.example.test/oauth/authorize',
  token_endpoint: 'https://users.example.test/oauth/token',
  jwks_uri: 'https://users.example.test/oauth/discovery/keys',
  client_id: 'public_test',
  scope: '',
  pkce: true,
}

async function nexusToken(claims: Record<string, unknown>) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'nexus-1' })
    .sign(privateKey)
  return { token, jwk: { ...(await exportJWK(publicKey)), kid: 'nexus-1' } }
}

describe('inspectProfileToken', () => {
  it("verifies with the profile's JWKS and accepts Nexus Mods' iss without aud", async () => {
    const { token, jwk } = await nexusToken({
      iss: 'nexus-user-service',
      sub: '42',
      iat: NOW / 1000,
      exp: NOW / 1000 + 6 * 3600,
      user: { username: 'TestAccount', premium_expiry: 0 },
    })
    const script = scriptedFetch([
      { method: 'GET', url: nexusLike.jwks_uri ?? '', answer: () => json({ keys: [jwk] }) },
    ])
    const context = { fetch: script.fetch, now: NOW, store: memoryStore(), jwksCache: new Map() }
    const inspection = await inspectProfileToken(token, 'access', nexusLike, context)
    expect(inspection.signature).toMatchObject({ status: 'verified', key: 'nexus-1' })
    expect(inspection.warnings).toEqual([])
    script.done()
  })

  it('warns when an access token comes from another issuer, or has expired', async () => {
    const { token } = await nexusToken({ iss: 'https://evil.test', exp: NOW / 1000 - 3600 })
    const inspection = await inspectProfileToken(token, 'access', nexusLike, {
      fetch: () => Promise.reject(new TypeError('offline')),
      now: NOW,
      store: memoryStore(),
      jwksCache: new Map(),
    })
    expect(inspection.signature).toMatchObject({ status: 'not_checked', code: 'jwks_unreachable' })
    expect(inspection.warnings.map((w) => w.code)).toEqual(['expired', 'iss_mismatch'])
  })
})

describe('a token only its own audience can check', () => {
  const context = (jwk: unknown) => ({
    fetch: scriptedFetch([
      { method: 'GET', url: nexusLike.jwks_uri ?? '', answer: () => json({ keys: [jwk] }) },
    ]).fetch,
    now: NOW,
    store: memoryStore(),
    jwksCache: new Map(),
  })
  const hmac = (alg: string) =>
    new SignJWT({ typ: 'Refresh', exp: NOW / 1000 + 1800 })
      .setProtectedHeader({ alg })
      .sign(new TextEncoder().encode('the provider keeps this secret, 64 bytes long.............'))

  it("is a refresh token the provider signed with its own secret (Keycloak's HS512): not a refusal", async () => {
    const inspection = await inspectProfileToken(
      await hmac('HS512'),
      'refresh',
      nexusLike,
      context({}),
    )
    expect(inspection.signature).toMatchObject({ status: 'not_checked', code: 'not_for_client' })
    expect(isRefusal(inspection.signature)).toBe(false)
    expect(signatureLine(inspection.signature)).toMatch(/^Signature not checked: .*HS512.*provider/)
  })

  it('is not an access or ID token signed with HMAC: those stay refused', async () => {
    for (const kind of ['access', 'id'] as const) {
      const inspection = await inspectProfileToken(
        await hmac('HS256'),
        kind,
        nexusLike,
        context({}),
      )
      expect(isRefusal(inspection.signature)).toBe(true)
    }
  })

  it("is an access token with a header nonce that the provider's keys do not verify (Microsoft Graph)", async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const { jwk } = await nexusToken({})
    // Graph's tokens are signed over a hash of the header's nonce: with the nonce as sent, the
    // published key fails them.
    const graph = await new SignJWT({ aud: '00000003-0000-0000-c000-000000000000' })
      .setProtectedHeader({ alg: 'RS256', kid: 'nexus-1', nonce: 'raw-nonce' })
      .sign(privateKey)
    const access = await inspectProfileToken(graph, 'access', nexusLike, context(jwk))
    expect(access.signature).toMatchObject({ status: 'not_checked', code: 'not_for_client' })
    expect(signatureLine(access.signature)).toMatch(/^Signature not checked: .*nonce/)
    // The session's ID token is the client's to verify, header nonce or not.
    const id = await inspectProfileToken(graph, 'id', nexusLike, context(jwk))
    expect(id.signature).toMatchObject({ status: 'invalid' })
    // Nor is a header nonce an excuse for a token that is not Graph's (a forged one, say).
    const forged = await new SignJWT({ aud: 'my-api' })
      .setProtectedHeader({ alg: 'RS256', kid: 'nexus-1', nonce: 'raw-nonce' })
      .sign(privateKey)
    const other = await inspectProfileToken(forged, 'access', nexusLike, context(jwk))
    expect(other.signature).toMatchObject({ status: 'invalid' })
  })

  it('is not an access token with a header nonce whose signature verifies', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k' }
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k', nonce: 'n' })
      .sign(privateKey)
    const inspection = await inspectProfileToken(token, 'access', nexusLike, context(jwk))
    expect(inspection.signature).toMatchObject({ status: 'verified', key: 'k' })
  })
})

describe('inspectPastedToken', () => {
  it('says the key could not be read, and still lists claim warnings', async () => {
    const { token } = await nexusToken({ sub: 'a' })
    const inspection = await inspectPastedToken(token, 'not a key', {
      fetch: () => Promise.reject(new TypeError('offline')),
      now: NOW,
      jwksCache: new Map(),
    })
    expect(inspection.signature).toMatchObject({ status: 'not_checked', code: 'bad_key' })
    expect(inspection.warnings.map((w) => w.code)).toEqual(['missing_exp'])
  })
})
