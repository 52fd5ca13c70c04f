import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { claimRows, relativeTime } from '../../src/tokens/claims'
import { decodeJwt, MAX_TOKEN_LENGTH } from '../../src/tokens/decode'
import { computeExpiresAt } from '../../src/tokens/expiry'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (payload: unknown, header: unknown = { alg: 'RS256', typ: 'JWT' }) =>
  `${b64(header)}.${b64(payload)}.c2ln`

describe('decodeJwt', () => {
  it('splits a JWT into header and claims', () => {
    const result = decodeJwt(jwt({ sub: 'alice', exp: 1 }))
    expect(result).toMatchObject({ ok: true, header: { alg: 'RS256' }, payload: { sub: 'alice' } })
  })

  it.each([
    ['opaque', 'not_a_jws'],
    ['a.b.c.d.e', 'not_a_jws'],
    ['@@.e30.x', 'bad_base64url'],
    [`${b64({ alg: 'none' })}.bm90IGpzb24.x`, 'bad_json'],
    [`${b64({ alg: 'none' })}.${b64([1])}.x`, 'not_an_object'],
  ])('gives a typed error for %s', (token, code) => {
    const result = decodeJwt(token)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.code).toBe(code)
  })

  it('names the failing part', () => {
    const result = decodeJwt(`${b64({ alg: 'RS256' })}.%%%.x`)
    expect(!result.ok && result.error.message).toBe('invalid base64url in part #2')
  })

  it('refuses oversized input before parsing it', () => {
    const result = decodeJwt('a'.repeat(MAX_TOKEN_LENGTH + 1))
    expect(!result.ok && result.error.code).toBe('too_large')
  })

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.anything(),
          fc.array(fc.base64String(), { maxLength: 4 }).map((p) => p.join('.')),
        ),
        (input) => {
          const result = decodeJwt(input)
          expect(typeof result.ok).toBe('boolean')
        },
      ),
      { numRuns: 500 },
    )
  })

  it('decodes whatever JSON object payload it is given', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (payload) => {
        const result = decodeJwt(jwt(payload))
        expect(result.ok && result.payload).toEqual(JSON.parse(JSON.stringify(payload)))
      }),
      { numRuns: 200 },
    )
  })
})

describe('claimRows', () => {
  it('shows nested claims as dotted paths and marks times', () => {
    const rows = claimRows({
      exp: 1754411198,
      user: { username: 'TestAccount', joined: 1419531134, premium_expiry: 0 },
    })
    expect(rows.map((r) => r.name)).toEqual([
      'exp',
      'user.username',
      'user.joined',
      'user.premium_expiry',
    ])
    expect(rows.find((r) => r.name === 'user.joined')?.time).toBe(1419531134)
    // premium_expiry 0 means "no premium", not 1970.
    expect(rows.find((r) => r.name === 'user.premium_expiry')?.time).toBeUndefined()
  })
})

describe('relativeTime', () => {
  it('uses the largest whole unit', () => {
    expect(relativeTime(5 * 3600_000, 0, 'en')).toBe('in 5 hours')
    expect(relativeTime(0, 3 * 86400_000, 'en')).toBe('3 days ago')
  })
})

describe('computeExpiresAt', () => {
  it('prefers created_at + expires_in (Doorkeeper, Nexus Mods)', () => {
    expect(
      computeExpiresAt({ access_token: 'x', expires_in: 60, created_at: 1000 }, 5_000_000),
    ).toBe(1_060_000)
  })
  it('else uses receipt time + expires_in', () => {
    expect(computeExpiresAt({ access_token: 'x', expires_in: 60 }, 5_000_000)).toBe(5_060_000)
  })
  it("else the access token's exp, else nothing", () => {
    expect(computeExpiresAt({ access_token: jwt({ exp: 2000 }) }, 0)).toBe(2_000_000)
    expect(computeExpiresAt({ access_token: 'opaque' }, 0)).toBeUndefined()
  })
})
