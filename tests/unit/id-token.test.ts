import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/core/protocol/errors'
import { endpointsFor } from '../../src/core/protocol/server'
import type { Profile } from '../../src/core/profile/types'
import { checkIdTokenSignature, checkRefreshedIdToken } from '../../src/core/protocol/id-token'
import type { StoredTokens } from '../../src/core/storage/token-store'

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const unsigned = (claims: object) => `${part({ alg: 'none' })}.${part(claims)}.`
const noFetch = (() => Promise.reject(new TypeError('no request expected'))) as typeof fetch

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' }
  const sign = (claims: object) =>
    new SignJWT({ ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey)
  return { jwk, sign }
}

const profile = (keys?: Record<string, unknown>[]): Profile => ({
  id: 'acme',
  name: 'Acme',
  issuer: 'https://id.acme.test',
  authorization_endpoint: 'https://id.acme.test/authorize',
  token_endpoint: 'https://id.acme.test/token',
  client_id: 'app',
  scope: 'openid',
  pkce: true,
  ...(keys ? { verification_keys: keys } : {}),
})
const context = { fetch: noFetch, now: 0, jwksCache: new Map() }
const check = (token: string, p: Profile) =>
  checkIdTokenSignature(token, p, endpointsFor(p), context)

describe('checkIdTokenSignature', () => {
  it("accepts an ID token the provider's key verifies", async () => {
    const { jwk, sign } = await signer()
    await expect(check(await sign({ sub: 'a' }), profile([jwk]))).resolves.toBeUndefined()
  })

  it('refuses one whose kid no key has: the inspector says "not checked", the login refuses', async () => {
    const { jwk } = await signer()
    const { privateKey } = await generateKeyPair('ES256')
    const token = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'ES256', kid: 'rotated-away' })
      .sign(privateKey)
    await expect(check(token, profile([jwk]))).rejects.toMatchObject({
      code: 'id_token_invalid',
      message: expect.stringContaining('no key with kid "rotated-away"') as string,
    })
  })

  it('refuses one signed by another key, and alg none even without keys', async () => {
    const { jwk } = await signer()
    const stranger = await signer()
    await expect(check(await stranger.sign({ sub: 'a' }), profile([jwk]))).rejects.toMatchObject({
      code: 'id_token_invalid',
    })
    await expect(check(unsigned({ sub: 'a' }), profile())).rejects.toBeInstanceOf(AppError)
  })

  it('says the algorithm is at fault for an HS256 ID token, which no public key can check', async () => {
    const { jwk } = await signer()
    const token = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a secret the provider shares with nobody here'))
    await expect(check(token, profile([jwk]))).rejects.toMatchObject({
      code: 'id_token_invalid',
      detail: { field: 'alg' },
    })
    const stranger = await signer()
    await expect(check(await stranger.sign({ sub: 'a' }), profile([jwk]))).rejects.toMatchObject({
      detail: undefined,
    })
  })

  it('accepts a signed token when the profile names no key (TLS, OIDC Core §3.1.3.7 step 6)', async () => {
    const { sign } = await signer()
    await expect(check(await sign({ sub: 'a' }), profile())).resolves.toBeUndefined()
  })
})

describe('checkRefreshedIdToken', () => {
  const tokens = (claims?: object): StoredTokens => ({
    access_token: 'at',
    token_type: 'Bearer',
    received_at: 0,
    ...(claims ? { id_token: unsigned(claims) } : {}),
  })
  const before = tokens({ iss: 'https://id.acme.test', sub: 'alice', aud: 'app', iat: 1 })

  it('accepts the same iss, sub and aud, or no new ID token', () => {
    expect(() => {
      checkRefreshedIdToken(
        before,
        tokens({ iss: 'https://id.acme.test', sub: 'alice', aud: 'app', iat: 2 }),
      )
    }).not.toThrow()
    expect(() => {
      checkRefreshedIdToken(before, tokens())
    }).not.toThrow()
  })

  it('refuses another subject or audience, naming the claims', () => {
    expect(() => {
      checkRefreshedIdToken(
        before,
        tokens({ iss: 'https://id.acme.test', sub: 'mallory', aud: ['app', 'x'] }),
      )
    }).toThrow(/different sub, aud/)
  })
})
