import { describe, expect, it } from 'vitest'
import { checkAccessLifetime, checkIdTokenAlg } from '../../src/console/audit/issued-tokens'
import { checkRefreshLifetime, checkRotation } from '../../src/console/audit/refresh-token'
import { duration } from '../../src/console/audit/duration'
import { jwtWith, tokens } from './audit-fixtures'

const NOW = 1_000_000

describe('the access token lifetime', () => {
  it('passes an hour or less, warns beyond', () => {
    expect(checkAccessLifetime(tokens(NOW, 3600)).level).toBe('Pass')
    expect(checkAccessLifetime(tokens(NOW, 300)).checked).toContain('5 min')
    const long = checkAccessLifetime(tokens(NOW, 3601))
    expect(long.level).toBe('Warning')
    expect(long.cite).toBe('RFC 6819 §5.1.5.3')
  })

  it('warns when the provider said nothing, or over a year', () => {
    expect(checkAccessLifetime(tokens(NOW, 60, { expires_at: undefined })).checked).toContain(
      'no expires_in',
    )
    expect(checkAccessLifetime(tokens(NOW, 60, { expiry_capped: true })).checked).toContain(
      'over a year',
    )
  })

  it('says not checked yet when signed out', () => {
    expect(checkAccessLifetime(undefined).checked).toContain('not checked yet: log in once')
  })
})

describe('the refresh token lifetime', () => {
  it('passes a bounded one, saying how long is left', () => {
    const held = tokens(NOW, 300, { refresh_token: 'rt', refresh_expires_at: NOW + 2 * 3600_000 })
    const result = checkRefreshLifetime(held, NOW)
    expect(result).toMatchObject({ level: 'Pass', cite: 'RFC 9700 §4.14.2, RFC 10017 §6.3.2.3' })
    expect(result.checked).toContain('expires in 2 h')
  })

  it('warns when the provider did not say: a finding about the provider, not a pending one', () => {
    const result = checkRefreshLifetime(tokens(NOW, 300, { refresh_token: 'rt' }), NOW)
    expect(result.level).toBe('Warning')
    expect(result.pending).toBeUndefined()
    expect(result.checked).toContain('no refresh_expires_in')
  })

  it('passes when there is no refresh token', () => {
    expect(checkRefreshLifetime(tokens(NOW, 300), NOW).level).toBe('Pass')
  })
})

describe('refresh token rotation', () => {
  const held = tokens(NOW, 300, { refresh_token: 'rt' })

  it('passes when every refresh rotated (RFC 9700 §2.2.2)', () => {
    const result = checkRotation({ rotated: 2, kept: 0 }, held)
    expect(result).toMatchObject({ level: 'Pass', cite: 'RFC 9700 §2.2.2, RFC 10017 §6.3.2.3' })
    expect(result.checked).toContain('each of the 2 refreshes')
  })

  it('fails when one refresh kept the refresh token', () => {
    const result = checkRotation({ rotated: 1, kept: 1 }, held)
    expect(result.level).toBe('Fail')
    expect(result.checked).toContain('1 of 2 refreshes')
  })

  it('asks for a refresh, or a login, before it can tell', () => {
    expect(checkRotation(undefined, held).checked).toContain('press Refresh now')
    expect(checkRotation(undefined, undefined).checked).toContain('log in once')
    expect(checkRotation(undefined, tokens(NOW, 300)).level).toBe('Pass')
  })
})

describe('the ID token algorithm', () => {
  const withAlg = (alg: string) => tokens(NOW, 300, { id_token: jwtWith({ alg, kid: 'k' }) })

  it('passes an asymmetric algorithm', () => {
    for (const alg of ['RS256', 'PS384', 'ES256', 'EdDSA', 'Ed25519'])
      expect(checkIdTokenAlg(withAlg(alg), true)?.level).toBe('Pass')
  })

  it('fails "none", warns about HS256 and an unknown algorithm', () => {
    expect(checkIdTokenAlg(withAlg('none'), true)?.level).toBe('Fail')
    const shared = checkIdTokenAlg(withAlg('HS256'), true)
    expect(shared?.level).toBe('Warning')
    expect(shared?.checked).toContain('HS256, a shared-secret algorithm')
    expect(checkIdTokenAlg(withAlg('XY999'), true)?.level).toBe('Warning')
  })

  it('says nothing without an ID token, unless one is expected and nobody logged in', () => {
    expect(checkIdTokenAlg(tokens(NOW, 300), true)).toBeUndefined()
    expect(checkIdTokenAlg(undefined, false)).toBeUndefined()
    expect(checkIdTokenAlg(undefined, true)?.checked).toContain('not checked yet')
  })
})

it('says spans of time in words', () => {
  expect(duration(45_000)).toBe('45 s')
  expect(duration(300_000)).toBe('5 min')
  expect(duration(150 * 60_000)).toBe('2 h 30 min')
  expect(duration(3 * 86_400_000)).toBe('3 d')
})
