import { describe, expect, it } from 'vitest'
import { NEXUS_MODS_PEM } from '../../src/core/profile/presets'
import { parseKeyInput, profileKeySources } from '../../src/core/jwt/key-input'

describe('parseKeyInput', () => {
  it('reads PEM, JWK, JWKS and JWKS URLs', () => {
    expect(parseKeyInput('')).toEqual({ ok: true, sources: [] })
    expect(parseKeyInput(`  ${NEXUS_MODS_PEM}  `)).toEqual({
      ok: true,
      sources: [{ kind: 'pem', pem: NEXUS_MODS_PEM.trim() }],
    })
    expect(parseKeyInput('{"kty":"EC","crv":"P-256","x":"a","y":"b"}')).toMatchObject({
      ok: true,
      sources: [{ kind: 'jwk' }],
    })
    expect(parseKeyInput('{"keys":[{"kty":"RSA"},"junk"]}')).toEqual({
      ok: true,
      sources: [{ kind: 'jwks', keys: [{ kty: 'RSA' }] }],
    })
    expect(parseKeyInput('https://id.test/jwks')).toEqual({
      ok: true,
      sources: [{ kind: 'jwks_uri', url: 'https://id.test/jwks' }],
    })
    expect(parseKeyInput('http://localhost:4100/jwks')).toMatchObject({ ok: true })
  })

  it('refuses what it cannot read, saying why', () => {
    expect(parseKeyInput('{nope')).toMatchObject({ ok: false, code: 'bad_key_json' })
    expect(parseKeyInput('{"a":1}')).toMatchObject({ ok: false, code: 'bad_key_json' })
    expect(parseKeyInput('javascript:alert(1)')).toMatchObject({ ok: false, code: 'bad_key_url' })
    expect(parseKeyInput('http://example.com/jwks')).toMatchObject({
      ok: false,
      code: 'bad_key_url',
    })
    expect(parseKeyInput('-----BEGIN PUBLIC KEY-----\nabc')).toMatchObject({
      ok: false,
      code: 'unknown_key_format',
    })
    expect(parseKeyInput('hello')).toMatchObject({ ok: false, code: 'unknown_key_format' })
  })
})

describe('profileKeySources', () => {
  it('lists the verification keys, then the JWKS', () => {
    const jwk = { kty: 'RSA', n: 'x', e: 'AQAB' }
    expect(profileKeySources([NEXUS_MODS_PEM, jwk], 'https://id.test/jwks')).toEqual([
      { kind: 'pem', pem: NEXUS_MODS_PEM.trim() },
      { kind: 'jwk', jwk },
      { kind: 'jwks_uri', url: 'https://id.test/jwks' },
    ])
    expect(profileKeySources(undefined, undefined)).toEqual([])
  })
})
