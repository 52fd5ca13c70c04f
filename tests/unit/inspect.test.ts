import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Profile } from '../../src/core/profile/types'
import { inspectPastedToken, inspectProfileToken } from '../../src/console/inspect'
import { memoryStore } from '../../src/core/storage/kv'
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
