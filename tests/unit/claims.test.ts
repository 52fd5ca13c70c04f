import { describe, expect, it } from 'vitest'
import { claimWarnings, CLOCK_SKEW_SECONDS } from '../../src/console/claims/claim-warnings'
import {
  CLAIM_DESCRIPTIONS,
  claimRows,
  claimText,
  httpsLink,
  timeForms,
} from '../../src/console/claims/claims'

const NOW = 1_700_000_000_000
const nowSeconds = NOW / 1000
const codes = (claims: Record<string, unknown>, expect: Parameters<typeof claimWarnings>[1]) =>
  claimWarnings(claims, expect, NOW).map((w) => w.code)

describe('claim checks', () => {
  it("read only the token's own claims, never inherited members", () => {
    const inherited = Object.create({ exp: 1, iss: 'https://id.test' }) as Record<string, unknown>
    expect(codes(inherited, { kind: 'access', issuers: ['https://id.test'] })).toEqual([
      'missing_exp',
      'iss_mismatch',
    ])
  })
})

describe('claim descriptions', () => {
  it('explain every registered, OIDC standard, RFC 9068 and Nexus Mods claim', () => {
    const expected = [
      // RFC 7519 §4.1
      ...['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'],
      // OIDC Core §2 and §5.1
      ...['auth_time', 'nonce', 'acr', 'amr', 'azp', 'at_hash', 'c_hash', 'sid'],
      ...['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username'],
      ...['profile', 'picture', 'website', 'email', 'email_verified', 'gender', 'birthdate'],
      ...['zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at'],
      ...['address.formatted', 'address.street_address', 'address.locality', 'address.region'],
      ...['address.postal_code', 'address.country'],
      // RFC 9068 §2.2
      ...['client_id', 'scope', 'groups', 'roles', 'entitlements'],
      // Nexus Mods
      ...['application_id', 'user.id', 'user.username', 'user.group_id', 'user.joined'],
      ...['user.membership_roles', 'user.other_group_ids', 'user.permissions'],
      'user.premium_expiry',
    ]
    expect(expected.filter((name) => !CLAIM_DESCRIPTIONS.has(name))).toEqual([])
  })

  it('reach the rows', () => {
    const [row] = claimRows({ address: { locality: 'Paris' } })
    expect(row).toMatchObject({ name: 'address.locality', description: 'City or locality' })
  })
})

describe('claimRows', () => {
  it('marks times, and premium_expiry 0 as none', () => {
    const rows = claimRows({ auth_time: 1, updated_at: 2, user: { premium_expiry: 0, joined: 3 } })
    expect(rows.map((r) => [r.name, r.time, r.note])).toEqual([
      ['auth_time', 1, undefined],
      ['updated_at', 2, undefined],
      ['user.premium_expiry', undefined, 'none'],
      ['user.joined', 3, undefined],
    ])
  })

  it('does not treat times beyond what a Date holds as times', () => {
    const [row] = claimRows({ exp: 1e300 })
    expect(row?.time).toBeUndefined()
    expect(claimText(row?.value)).toBe('1e+300')
  })

  it('links https: values only', () => {
    const rows = claimRows({
      picture: 'https://img.example/a.png',
      website: 'javascript:alert(1)',
      profile: 'http://example.com/',
      data: 'data:text/html,<b>x</b>',
    })
    expect(rows.map((r) => r.link)).toEqual([
      'https://img.example/a.png',
      undefined,
      undefined,
      undefined,
    ])
    expect(httpsLink('https://')).toBeUndefined()
  })
})

describe('timeForms', () => {
  it('gives local, ISO and relative forms', () => {
    const forms = timeForms(nowSeconds + 3600, NOW, 'en')
    expect(forms.iso).toBe('2023-11-14T23:13:20.000Z')
    expect(forms.relative).toBe('in 1 hour')
    expect(forms.local).not.toBe('')
  })
})

describe('claimWarnings', () => {
  const valid = { iss: 'https://id.test', aud: 'app', exp: nowSeconds + 60, iat: nowSeconds }

  it('has none for a fresh token from the expected issuer', () => {
    expect(codes(valid, { kind: 'id', issuers: ['https://id.test'], clientId: 'app' })).toEqual([])
  })

  it('warns about expired, not-yet-valid and future-issued tokens, allowing skew', () => {
    const skew = CLOCK_SKEW_SECONDS
    expect(codes({ ...valid, exp: nowSeconds - skew - 1 }, { kind: 'access' })).toEqual(['expired'])
    expect(codes({ ...valid, exp: nowSeconds - skew + 5 }, { kind: 'access' })).toEqual([])
    expect(codes({ ...valid, nbf: nowSeconds + skew + 1 }, { kind: 'access' })).toEqual([
      'not_yet_valid',
    ])
    expect(codes({ ...valid, iat: nowSeconds + skew + 1 }, { kind: 'access' })).toEqual([
      'issued_in_future',
    ])
    expect(codes({ ...valid, iat: nowSeconds + skew - 1 }, { kind: 'access' })).toEqual([])
  })

  it('warns about a missing or malformed exp', () => {
    expect(codes({ sub: 'a' }, { kind: 'access' })).toEqual(['missing_exp'])
    expect(codes({ sub: 'a' }, { kind: 'refresh' })).toEqual([])
    expect(codes({ exp: 'soon' }, { kind: 'other' })).toEqual(['bad_time'])
  })

  it('checks iss against the profile, and aud against the client id for ID tokens only', () => {
    const expect_ = { issuers: ['https://id.test'], clientId: 'app' }
    expect(codes({ ...valid, iss: 'https://evil.test' }, { kind: 'id', ...expect_ })).toEqual([
      'iss_mismatch',
    ])
    expect(codes({ ...valid, aud: 'other' }, { kind: 'id', ...expect_ })).toEqual(['aud_mismatch'])
    expect(codes({ ...valid, aud: ['app', 'api'] }, { kind: 'id', ...expect_ })).toEqual([
      'aud_mismatch',
    ])
    expect(
      codes({ ...valid, aud: ['app', 'api'], azp: 'app' }, { kind: 'id', ...expect_ }),
    ).toEqual([])
    // Access tokens may carry any audience, or none (Nexus Mods).
    const noAud = { ...valid, aud: undefined }
    expect(codes(noAud, { kind: 'access', ...expect_ })).toEqual([])
    expect(codes({ ...valid, aud: 'urn:api' }, { kind: 'access', ...expect_ })).toEqual([])
  })

  it('renders hostile values only inside messages, as text', () => {
    const [warning] = claimWarnings(
      { iss: '<img src=x>', exp: 1 },
      { kind: 'access', issuers: ['a'] },
      NOW,
    )
    expect(warning?.code).toBe('expired')
    expect(
      claimWarnings({ iss: '<img src=x>' }, { kind: 'access', issuers: ['a'] }, NOW)[1]?.message,
    ).toContain('"<img src=x>"')
  })
})
