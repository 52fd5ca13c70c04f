import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { NEXUS_MODS_PEM } from '../../src/core/profile/presets'
import type { JwksCache } from '../../src/core/jwt/jwks'
import type { KeySource } from '../../src/core/jwt/key-input'
import { signatureLine } from '../../src/core/jwt/signature'
import { verifyJwt } from '../../src/core/jwt/verify'
import { json, scriptedFetch } from './fake-fetch'

const JWKS_URL = 'https://id.example.test/jwks'
const ALGS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const

/** A fetch that must not be called: it records calls so a test can assert there were none. */
function noFetch() {
  const calls: string[] = []
  const impl = (input: RequestInfo | URL) => {
    calls.push(input instanceof Request ? input.url : input.toString())
    return Promise.reject(new TypeError('no request expected'))
  }
  return { fetch: impl as typeof fetch, calls }
}

async function keys(alg: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  return {
    publicKey,
    privateKey,
    pem: await exportSPKI(publicKey),
    jwk: await exportJWK(publicKey),
  }
}

function sign(
  privateKey: CryptoKey | Uint8Array,
  alg: string,
  header: Record<string, unknown> = {},
  claims: Record<string, unknown> = { sub: 'alice' },
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...header })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey)
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** The same token with its payload replaced (signature kept). */
function alterPayload(token: string, claims: Record<string, unknown>) {
  const [header, , signature] = token.split('.')
  return `${header ?? ''}.${b64(claims)}.${signature ?? ''}`
}

const options = (fetchImpl: typeof fetch = noFetch().fetch, now = 0, jwksCache?: JwksCache) => ({
  fetch: fetchImpl,
  now,
  ...(jwksCache ? { jwksCache } : {}),
})

describe('verifyJwt', () => {
  it.each(ALGS)('verifies %s with a PEM key and names its SHA-256 fingerprint', async (alg) => {
    const { privateKey, pem } = await keys(alg)
    const result = await verifyJwt(await sign(privateKey, alg), [{ kind: 'pem', pem }], options())
    expect(result).toMatchObject({ status: 'verified', alg })
    expect(result.status === 'verified' && result.key).toMatch(/^PEM sha256:[0-9a-f]{16}$/)
  })

  it.each(ALGS)('verifies %s with a JWK and names its kid', async (alg) => {
    const { privateKey, jwk } = await keys(alg)
    const token = await sign(privateKey, alg, { kid: 'k1' })
    const result = await verifyJwt(token, [{ kind: 'jwk', jwk: { ...jwk, kid: 'k1' } }], options())
    expect(result).toMatchObject({ status: 'verified', key: 'k1' })
    expect(signatureLine(result)).toBe('Signature verified with key k1')
  })

  it('verifies with a JWKS fetched with the fetch it is given', async () => {
    const { privateKey, jwk } = await keys('RS256')
    const other = await keys('ES256')
    const script = scriptedFetch([
      {
        method: 'GET',
        url: JWKS_URL,
        answer: () =>
          json({
            keys: [
              { ...other.jwk, kid: 'ec' },
              { ...jwk, kid: 'rsa' },
            ],
          }),
      },
    ])
    const token = await sign(privateKey, 'RS256', { kid: 'rsa' })
    const result = await verifyJwt(
      token,
      [{ kind: 'jwks_uri', url: JWKS_URL }],
      options(script.fetch),
    )
    expect(result).toMatchObject({ status: 'verified', key: 'rsa' })
    script.done()
  })

  it('tries every key: a wrong PEM first, then the JWKS', async () => {
    const { privateKey, jwk } = await keys('RS256')
    const wrong = await keys('RS256')
    const script = scriptedFetch([
      { method: 'GET', url: JWKS_URL, answer: () => json({ keys: [{ ...jwk, kid: 'a' }] }) },
    ])
    const sources: KeySource[] = [
      { kind: 'pem', pem: wrong.pem },
      { kind: 'jwks_uri', url: JWKS_URL },
    ]
    const token = await sign(privateKey, 'RS256', { kid: 'a' })
    expect(await verifyJwt(token, sources, options(script.fetch))).toMatchObject({
      status: 'verified',
      key: 'a',
    })
  })

  it('says invalid when no key verifies it', async () => {
    const { privateKey } = await keys('RS256')
    const wrong = await keys('RS256')
    const result = await verifyJwt(
      await sign(privateKey, 'RS256'),
      [{ kind: 'pem', pem: wrong.pem }],
      options(),
    )
    expect(result).toMatchObject({ status: 'invalid', code: 'bad_signature' })
    expect(signatureLine(result)).toMatch(
      /^Signature invalid: no key verified it \(tried PEM sha256:/,
    )
  })

  it('says invalid when the payload was altered', async () => {
    const { privateKey, pem } = await keys('ES256')
    const token = alterPayload(await sign(privateKey, 'ES256'), { sub: 'mallory' })
    expect(await verifyJwt(token, [{ kind: 'pem', pem }], options())).toMatchObject({
      status: 'invalid',
      code: 'bad_signature',
    })
  })

  it('verifies an expired token: time claims do not make a signature invalid', async () => {
    const { privateKey, pem } = await keys('RS256')
    const token = await new SignJWT({ sub: 'alice', exp: 1000, nbf: 4e9 })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey)
    expect(await verifyJwt(token, [{ kind: 'pem', pem }], options())).toMatchObject({
      status: 'verified',
    })
  })

  it('refuses alg "none" without fetching any key', async () => {
    const { fetch, calls } = noFetch()
    const token = `${b64({ alg: 'none' })}.${b64({ sub: 'admin' })}.`
    const result = await verifyJwt(token, [{ kind: 'jwks_uri', url: JWKS_URL }], options(fetch))
    expect(result).toMatchObject({ status: 'not_checked', code: 'alg_none' })
    expect(signatureLine(result)).toMatch(/^Signature not checked: unsigned token/)
    expect(calls).toEqual([])
  })

  it('refuses HS256 even when the "secret" is a public key (algorithm confusion)', async () => {
    const { pem } = await keys('RS256')
    const token = await sign(new TextEncoder().encode(pem), 'HS256')
    expect(await verifyJwt(token, [{ kind: 'pem', pem }], options())).toMatchObject({
      status: 'not_checked',
      code: 'symmetric_alg',
    })
  })

  it('never uses a key named by the header (jwk, jku)', async () => {
    const attacker = await keys('RS256')
    const ours = await keys('RS256')
    const { fetch, calls } = noFetch()
    const token = await sign(attacker.privateKey, 'RS256', {
      jwk: attacker.jwk,
      jku: 'https://evil.test/jwks',
    })
    const result = await verifyJwt(token, [{ kind: 'pem', pem: ours.pem }], options(fetch))
    expect(result).toMatchObject({ status: 'invalid', code: 'bad_signature' })
    expect(result.notes.join('\n')).toMatch(/"jwk" was ignored[\s\S]*"jku" was ignored/)
    expect(calls).toEqual([])
  })

  it('refetches a cached JWKS once for an unknown kid, then fails without looping', async () => {
    const { privateKey, jwk } = await keys('ES256')
    const set = { keys: [{ ...jwk, kid: 'old' }] }
    const script = scriptedFetch([
      { method: 'GET', url: JWKS_URL, answer: () => json(set) },
      { method: 'GET', url: JWKS_URL, answer: () => json(set) },
    ])
    const cache: JwksCache = new Map()
    const source: KeySource[] = [{ kind: 'jwks_uri', url: JWKS_URL }]
    const known = await sign(privateKey, 'ES256', { kid: 'old' })
    expect(await verifyJwt(known, source, options(script.fetch, 0, cache))).toMatchObject({
      status: 'verified',
    })
    const unknown = await sign(privateKey, 'ES256', { kid: 'new' })
    const first = await verifyJwt(unknown, source, options(script.fetch, 60_000, cache))
    // No key was tried: "invalid" is kept for a key that was found and failed.
    expect(first).toMatchObject({ status: 'not_checked', code: 'unknown_kid' })
    expect(signatureLine(first)).toBe(
      'Signature not checked: the provider publishes no key with kid "new" (the JWKS was fetched again once)',
    )
    // Asked again at once: no third request.
    const again = await verifyJwt(unknown, source, options(script.fetch, 61_000, cache))
    expect(again).toMatchObject({ status: 'not_checked', code: 'unknown_kid' })
    script.done()
    expect(script.sent).toHaveLength(2)
  })

  it('says not checked, not invalid, when only keys without a kid failed and none has its kid', async () => {
    // The Nexus Mods preset: the guide's PEM (no kid) and a JWKS that lacks the token's kid.
    const signer = await keys('RS256')
    const listed = await keys('RS256')
    const result = await verifyJwt(
      await sign(signer.privateKey, 'RS256', { kid: 'unlisted' }),
      [
        { kind: 'pem', pem: NEXUS_MODS_PEM },
        { kind: 'jwks', keys: [{ ...listed.jwk, kid: 'listed' }] },
      ],
      options(),
    )
    expect(result).toMatchObject({ status: 'not_checked', code: 'unknown_kid' })
    expect(signatureLine(result)).toBe(
      'Signature not checked: the provider publishes no key with kid "unlisted"',
    )
    expect(result.notes.join('\n')).toMatch(/keys without a kid did not verify it: PEM sha256:/)
  })

  it('finds a rotated key by refetching the JWKS', async () => {
    const before = await keys('RS256')
    const after = await keys('RS256')
    const script = scriptedFetch([
      { method: 'GET', url: JWKS_URL, answer: () => json({ keys: [{ ...before.jwk, kid: '1' }] }) },
      { method: 'GET', url: JWKS_URL, answer: () => json({ keys: [{ ...after.jwk, kid: '2' }] }) },
    ])
    const cache: JwksCache = new Map()
    const source: KeySource[] = [{ kind: 'jwks_uri', url: JWKS_URL }]
    await verifyJwt(
      await sign(before.privateKey, 'RS256', { kid: '1' }),
      source,
      options(script.fetch, 0, cache),
    )
    const rotated = await sign(after.privateKey, 'RS256', { kid: '2' })
    expect(await verifyJwt(rotated, source, options(script.fetch, 31_000, cache))).toMatchObject({
      status: 'verified',
      key: '2',
    })
    script.done()
  })

  it('says "not checked" when the JWKS is blocked or missing', async () => {
    const { privateKey } = await keys('RS256')
    const token = await sign(privateKey, 'RS256')
    const source: KeySource[] = [{ kind: 'jwks_uri', url: JWKS_URL }]
    const blocked = await verifyJwt(token, source, options(noFetch().fetch))
    expect(blocked).toMatchObject({ status: 'not_checked', code: 'jwks_unreachable' })
    expect(signatureLine(blocked)).toContain('blocked by CORS')
    const script = scriptedFetch([
      { method: 'GET', url: JWKS_URL, answer: () => new Response('no', { status: 404 }) },
    ])
    const missing = await verifyJwt(token, source, options(script.fetch))
    expect(missing).toMatchObject({ status: 'not_checked', code: 'jwks_unreachable' })
    expect(signatureLine(missing)).toContain('HTTP 404')
  })

  it('says why it did not check: opaque token, no key, unsupported algorithm', async () => {
    expect(await verifyJwt('opaque-refresh-token', [], options())).toMatchObject({
      status: 'not_checked',
      code: 'opaque',
    })
    const { privateKey } = await keys('ES256')
    expect(await verifyJwt(await sign(privateKey, 'ES256'), [], options())).toMatchObject({
      status: 'not_checked',
      code: 'no_key',
    })
    const es256k = `${b64({ alg: 'ES256K' })}.${b64({})}.c2ln`
    expect(await verifyJwt(es256k, [{ kind: 'jwk', jwk: { kty: 'EC' } }], options())).toMatchObject(
      { status: 'not_checked', code: 'unsupported_alg' },
    )
  })

  it('verifies with the public part of a pasted private JWK, and skips symmetric keys', async () => {
    const { privateKey } = await keys('ES256')
    const privateJwk: JWK = await exportJWK(privateKey)
    const token = await sign(privateKey, 'ES256')
    const sources: KeySource[] = [
      { kind: 'jwk', jwk: { kty: 'oct', k: 'c2VjcmV0' } },
      { kind: 'jwk', jwk: { ...privateJwk, key_ops: ['sign'] } },
    ]
    const result = await verifyJwt(token, sources, options())
    expect(result).toMatchObject({ status: 'verified' })
    expect(result.status === 'verified' && result.key).toMatch(/^JWK thumbprint /)
  })

  it("tries the Nexus Mods guide's 1024-bit key, and says invalid when it does not verify", async () => {
    const { privateKey } = await keys('RS256')
    const result = await verifyJwt(
      await sign(privateKey, 'RS256'),
      [{ kind: 'pem', pem: NEXUS_MODS_PEM }],
      options(),
    )
    // The guide's 1024-bit key is tried (and fails): a key was found, so this is "invalid".
    expect(result).toMatchObject({ status: 'invalid', code: 'bad_signature' })
  })

  describe.each([
    ['RS256', { name: 'RSASSA-PKCS1-v1_5' }, '3.3'],
    ['PS256', { name: 'RSA-PSS', saltLength: 32 }, '3.5'],
  ] as const)('with a 1024-bit RSA key (%s)', (alg, params, section) => {
    const weakKeys = async () => {
      const pair = await crypto.subtle.generateKey(
        {
          ...params,
          modulusLength: 1024,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        },
        true,
        ['sign', 'verify'],
      )
      const spki = Buffer.from(await crypto.subtle.exportKey('spki', pair.publicKey)).toString(
        'base64',
      )
      return {
        privateKey: pair.privateKey,
        pem: `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----\n`,
        jwk: (await crypto.subtle.exportKey('jwk', pair.publicKey)) as Record<string, unknown>,
      }
    }
    /** jose refuses to sign with a key under 2048 bits: sign through WebCrypto, as the guide's server does. */
    const weakSign = async (privateKey: CryptoKey, header: Record<string, unknown> = {}) => {
      const input = `${b64({ alg, ...header })}.${b64({ sub: 'alice' })}`
      const signature = await crypto.subtle.sign(
        params,
        privateKey,
        new TextEncoder().encode(input),
      )
      return `${input}.${Buffer.from(signature).toString('base64url')}`
    }

    it('verifies through WebCrypto and warns that the key is weak', async () => {
      const { privateKey, pem, jwk } = await weakKeys()
      const token = await weakSign(privateKey, { kid: 'guide' })
      for (const source of [
        { kind: 'pem', pem },
        { kind: 'jwks', keys: [{ ...jwk, kid: 'guide' }] },
      ] as KeySource[]) {
        const result = await verifyJwt(token, [source], options())
        expect(result).toMatchObject({ status: 'verified', alg })
        expect(signatureLine(result)).toMatch(
          new RegExp(
            `^Signature verified with key \\S.* \\(weak key: 1024-bit RSA, under the 2048 bits RFC 7518 §${section} requires\\)$`,
          ),
        )
      }
    })

    it('says invalid when that key does not verify the signature', async () => {
      const { privateKey, pem } = await weakKeys()
      const token = alterPayload(await weakSign(privateKey), { sub: 'mallory' })
      const result = await verifyJwt(token, [{ kind: 'pem', pem }], options())
      expect(result).toMatchObject({ status: 'invalid', code: 'bad_signature' })
    })
  })
})
