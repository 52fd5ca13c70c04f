import { describe, expect, it } from 'vitest'
import { jwksFindings, rsaModulusBits } from '../../src/console/audit/jwks'
import { modulus, rsaKey } from './audit-fixtures'

const URL = 'https://id.audit.test/jwks'
const byCheck = (findings: ReturnType<typeof jwksFindings>, prefix: string) =>
  findings.find((f) => f.checked.startsWith(prefix))

describe('RSA modulus size', () => {
  it('counts the bits of n, leading zero bits excluded', () => {
    expect(rsaModulusBits(modulus(2048))).toBe(2048)
    expect(rsaModulusBits(modulus(1024))).toBe(1024)
    expect(rsaModulusBits(modulus(2047))).toBe(2047)
    expect(rsaModulusBits(Buffer.from([0, 0x01, 0xff]).toString('base64url'))).toBe(9)
    expect(rsaModulusBits('not base64url!')).toBeUndefined()
  })
})

describe('the JWKS checks', () => {
  it('passes one 2048-bit RS256 signing key on every count', () => {
    const findings = jwksFindings(URL, 200, { keys: [rsaKey(2048)] })
    expect(findings.map((f) => f.level)).toEqual(['Pass', 'Pass', 'Pass', 'Pass'])
    expect(byCheck(findings, 'JWKS key sizes')?.checked).toContain(
      '"rsa-2048" (RSA 2048-bit, RS256, sig)',
    )
  })

  it('fails an RSA key under 2048 bits, naming it (RFC 7518 §3.3)', () => {
    const result = byCheck(
      jwksFindings(URL, 200, { keys: [rsaKey(2048), rsaKey(1024)] }),
      'JWKS key sizes',
    )
    expect(result).toMatchObject({ level: 'Fail', cite: 'RFC 7518 §3.3' })
    expect(result?.checked).toContain('"rsa-1024" has 1024 bits')
    expect(result?.checked).not.toContain('rsa-2048')
  })

  it('fails private or symmetric key material (RFC 7517 §9.2)', () => {
    const findings = jwksFindings(URL, 200, {
      keys: [rsaKey(2048, { d: 'secret' }), { kty: 'oct', k: 'c2VjcmV0', kid: 'shared' }],
    })
    const result = byCheck(findings, 'JWKS contents')
    expect(result).toMatchObject({ level: 'Fail', cite: 'RFC 7517 §9.2' })
    expect(result?.checked).toContain('"rsa-2048" has d')
    expect(result?.checked).toContain('"shared" has k')
  })

  it('fails keys for "none" or HS256', () => {
    const findings = jwksFindings(URL, 200, { keys: [rsaKey(2048, { alg: 'HS256' })] })
    expect(byCheck(findings, 'JWKS algorithms')?.level).toBe('Fail')
  })

  it('warns about RSA1_5 encryption keys', () => {
    const findings = jwksFindings(URL, 200, {
      keys: [rsaKey(2048), rsaKey(2048, { alg: 'RSA1_5', use: 'enc', kid: 'enc' })],
    })
    expect(byCheck(findings, 'JWKS algorithms')?.level).toBe('Warning')
  })

  it('warns when encryption keys are listed and a key states no use', () => {
    const findings = jwksFindings(URL, 200, {
      keys: [
        rsaKey(2048, { use: undefined }),
        rsaKey(2048, { use: 'enc', alg: 'RSA-OAEP', kid: 'e' }),
      ],
    })
    const result = byCheck(findings, 'JWKS key use')
    expect(result?.level).toBe('Warning')
    expect(result?.checked).toContain('"rsa-2048" state no use')
  })

  it('passes signing keys that state no use', () => {
    const findings = jwksFindings(URL, 200, { keys: [rsaKey(2048, { use: undefined })] })
    expect(byCheck(findings, 'JWKS key use')?.level).toBe('Pass')
  })

  it('warns when one of several keys has no kid, and says nothing about kid for one key', () => {
    const several = jwksFindings(URL, 200, {
      keys: [rsaKey(2048), rsaKey(3072, { kid: undefined })],
    })
    expect(byCheck(several, 'JWKS key ids')).toMatchObject({ level: 'Warning' })
    expect(byCheck(several, 'JWKS key ids')?.checked).toContain('1 of 2 keys have no kid')
    expect(
      byCheck(jwksFindings(URL, 200, { keys: [rsaKey(2048, { kid: undefined })] }), 'JWKS key ids'),
    ).toBeUndefined()
  })

  it('fails an answer that is not a JWK Set, an empty set and an HTTP error', () => {
    expect(jwksFindings(URL, 200, { nope: true }).map((f) => f.level)).toEqual(['Fail'])
    expect(jwksFindings(URL, 200, undefined)[0]?.checked).toContain('not a JWK Set')
    expect(jwksFindings(URL, 200, { keys: [] })[0]?.checked).toContain('lists no keys')
    expect(jwksFindings(URL, 404, { keys: [rsaKey(2048)] })[0]?.checked).toContain('HTTP 404')
  })
})
