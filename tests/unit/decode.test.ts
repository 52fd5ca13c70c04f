import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { claimWarnings } from '../../src/console/claims/claim-warnings'
import { claimRows, claimText, relativeTime, timeForms } from '../../src/console/claims/claims'
import { decodeJwt, MAX_JSON_DEPTH, MAX_TOKEN_LENGTH } from '../../src/core/jwt/decode'
import type { KeySource } from '../../src/core/jwt/key-input'
import {
  boundedExpiry,
  computeExpiresAt,
  estimateSkew,
  MAX_LIFETIME_MS,
} from '../../src/core/jwt/expiry'

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
  it("counts expires_in from receipt, not from created_at (Doorkeeper's clock, 20 s ahead)", () => {
    // The provider answers at our 1_000_000 ms with its clock at 1020 s: created_at + expires_in
    // would end the token 20 s after the provider does.
    expect(
      computeExpiresAt({ access_token: 'x', expires_in: 60, created_at: 1020 }, 1_000_000),
    ).toBe(1_060_000)
  })
  it('counts a reused token from receipt too: expires_in is the time remaining', () => {
    expect(
      computeExpiresAt({ access_token: 'x', expires_in: 30, created_at: 970 }, 1_000_000),
    ).toBe(1_030_000)
  })
  it('else uses receipt time + expires_in', () => {
    expect(computeExpiresAt({ access_token: 'x', expires_in: 60 }, 5_000_000)).toBe(5_060_000)
  })
  it("counts a JWT's lifetime (exp - iat) from receipt, whatever the provider's clock says", () => {
    const twoHoursAhead = 7200
    expect(
      computeExpiresAt(
        { access_token: jwt({ iat: 1000 + twoHoursAhead, exp: 1060 + twoHoursAhead }) },
        1_000_000,
      ),
    ).toBe(1_060_000)
  })
  it("else the access token's exp, else nothing", () => {
    expect(computeExpiresAt({ access_token: jwt({ exp: 2000 }) }, 0)).toBe(2_000_000)
    expect(computeExpiresAt({ access_token: 'opaque' }, 0)).toBeUndefined()
  })
})

describe('boundedExpiry', () => {
  it('keeps lifetimes up to a year as they are', () => {
    expect(boundedExpiry(5_000 + MAX_LIFETIME_MS, 5_000)).toEqual({
      expires_at: 5_000 + MAX_LIFETIME_MS,
    })
  })
  it('caps a longer lifetime, or one no Date holds, to a year and flags it', () => {
    for (const expiresAt of [5_001 + MAX_LIFETIME_MS, 1e16, 1e13 * 1000, Infinity]) {
      expect(boundedExpiry(expiresAt, 5_000)).toEqual({
        expires_at: 5_000 + MAX_LIFETIME_MS,
        expiry_capped: true,
      })
    }
  })
  it("caps a JWT access token's exp of 1e13 without expires_in", () => {
    const expiresAt = computeExpiresAt({ access_token: jwt({ exp: 1e13 }) }, 1_000)
    expect(boundedExpiry(expiresAt, 1_000)).toEqual({
      expires_at: 1_000 + MAX_LIFETIME_MS,
      expiry_capped: true,
    })
  })
  it('drops what is not a number', () => {
    expect(boundedExpiry('soon', 1_000)).toEqual({})
    expect(boundedExpiry(NaN, 1_000)).toEqual({})
  })
})

describe('estimateSkew', () => {
  it("takes a JWT's iat first, else Doorkeeper's created_at", () => {
    expect(estimateSkew([jwt({ iat: 1020 })], 1_000_000, 990)).toBe(20_000)
    expect(estimateSkew(['opaque'], 1_000_000, 1020)).toBe(20_000)
    expect(estimateSkew(['opaque'], 1_000_000)).toBeUndefined()
  })
})

describe('hostile tokens (property-based)', () => {
  const rawJwt = (payloadJson: string) =>
    `${b64({ alg: 'RS256' })}.${Buffer.from(payloadJson).toString('base64url')}.c2ln`
  /** Everything the inspector does with a decoded payload; none of it may throw. */
  const inspectAll = (payload: Record<string, unknown>) => {
    for (const row of claimRows(payload)) {
      claimText(row.value)
      if (row.time !== undefined) timeForms(row.time, Date.now())
    }
    claimWarnings(payload, { kind: 'id', issuers: ['https://id.test'], clientId: 'app' }, 0)
    JSON.stringify(payload, null, 2)
  }

  it('handles huge and tiny numbers in any claim', () => {
    const number = fc.oneof(
      fc.double(),
      fc.constantFrom('1e400', '-1e400', '1e308', '123456789012345678901234567890', '-0', '5e-324'),
    )
    fc.assert(
      fc.property(
        fc.constantFrom('exp', 'iat', 'nbf', 'auth_time', 'updated_at', 'other'),
        number,
        (name, value) => {
          const text =
            typeof value === 'string' ? value : Number.isFinite(value) ? String(value) : 'null'
          const result = decodeJwt(rawJwt(`{"${name}":${text},"user":{"joined":${text}}}`))
          expect(result.ok).toBe(true)
          if (result.ok) inspectAll(result.payload)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('refuses deep nesting with a typed error instead of overflowing the stack', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom('[]', '{}'),
        (depth, pair) => {
          const [open, close] = pair === '[]' ? ['[', ']'] : ['{"a":', '}']
          const json = `{"x":${open.repeat(depth)}${pair === '[]' ? '' : '1'}${close.repeat(depth)}}`
          const token = rawJwt(json)
          const result = decodeJwt(token)
          if (depth + 1 > MAX_JSON_DEPTH) {
            const code = token.length > MAX_TOKEN_LENGTH ? 'too_large' : 'too_deep'
            expect(!result.ok && result.error.code).toBe(code)
          } else {
            expect(result.ok).toBe(true)
            if (result.ok) inspectAll(result.payload)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('decodes long tokens up to the limit and refuses longer ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_TOKEN_LENGTH + 4096 }), (length) => {
        const filler = 'x'.repeat(Math.max(0, Math.floor((length - 40) * 0.74)))
        const token = rawJwt(JSON.stringify({ sub: filler }))
        const result = decodeJwt(token)
        if (token.length > MAX_TOKEN_LENGTH)
          expect(!result.ok && result.error.code).toBe('too_large')
        else expect(result.ok).toBe(true)
      }),
      { numRuns: 50 },
    )
  })

  it('never makes verifyJwt throw, whatever the token and key', async () => {
    const { verifyJwt } = await import('../../src/core/jwt/verify')
    const reject = () => Promise.reject(new TypeError('offline'))
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constant('a'.repeat(MAX_TOKEN_LENGTH + 1)),
          fc
            .tuple(fc.jsonValue(), fc.jsonValue(), fc.base64String())
            .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
          fc
            .record({ alg: fc.constantFrom('RS256', 'ES256', 'EdDSA', 'none', 'HS256', 'XX') })
            .map((h) => `${b64(h)}.${b64({ sub: 'a' })}.c2ln`),
        ),
        fc.constantFrom<KeySource[]>(
          [],
          [{ kind: 'pem', pem: 'not a pem' }],
          [{ kind: 'jwk', jwk: { kty: 'RSA', n: '!!', e: 'AQAB' } }],
          [{ kind: 'jwks', keys: [{ kty: 'EC', crv: 'P-256' }, { kty: 'oct' }] }],
          [{ kind: 'jwks_uri', url: 'https://id.test/jwks' }],
        ),
        async (token, sources) => {
          const result = await verifyJwt(token, sources, { fetch: reject, now: 0 })
          expect(['verified', 'invalid', 'not_checked']).toContain(result.status)
          expect(result.status).not.toBe('verified')
        },
      ),
      { numRuns: 150 },
    )
  })
})

describe('countdown', () => {
  it('counts down in hours, minutes and seconds', async () => {
    const { countdown } = await import('../../src/console/claims/claims')
    expect(countdown(3_725_000)).toBe('in 1 h 02 min')
    expect(countdown(245_000)).toBe('in 4 min 05 s')
    expect(countdown(9_400)).toBe('in 9 s')
    expect(countdown(3 * 86_400_000)).toBe('in 3 days')
  })
})
