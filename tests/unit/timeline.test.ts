import { describe, expect, it } from 'vitest'
import { toStoredTokens } from '../../src/core/protocol/token-response'
import { MAX_LIFETIME_MS } from '../../src/core/jwt/expiry'
import { toCurl } from '../../src/console/timeline'
import { maskForm, recordingFetch, type TimelineEntry } from '../../src/core/record'
import { opaqueRedirect } from './fake-fetch'

describe('timeline', () => {
  const entry: TimelineEntry = {
    id: 1,
    at: 0,
    step: 'refresh',
    method: 'POST',
    url: 'https://id.test/token',
    requestHeaders: [
      ['content-type', 'application/x-www-form-urlencoded;charset=UTF-8'],
      ['authorization', 'Basic c2VjcmV0'],
    ],
    requestBody: 'grant_type=refresh_token&refresh_token=rt-secret&client_id=app',
  }

  it('masks secrets in curl commands unless revealed', () => {
    const masked = toCurl(entry, false)
    expect(masked).not.toContain('rt-secret')
    expect(masked).not.toContain('c2VjcmV0')
    expect(masked).toContain('client_id=app')
    expect(masked).toContain("-H 'authorization: Basic ••••••'")
    expect(toCurl(entry, true)).toContain('refresh_token=rt-secret')
  })

  it('masks API keys and tokens in headers named for them, and only those', () => {
    const withKeys = {
      ...entry,
      requestHeaders: [
        ['X-API-Key', 'k-123'],
        ['apikey', 'k-456'],
        ['Private-Token', 'glpat-789'],
        ['api_key', 'k-u1'],
        ['X-Access-Key', 'k-u2'],
        ['x-request-id', 'r-1'],
        ['accept', 'application/json'],
      ] as [string, string][],
    }
    const masked = toCurl(withKeys, false)
    expect(masked).not.toMatch(/k-123|k-456|glpat-789|k-u1|k-u2/)
    expect(masked).toContain("-H 'X-API-Key: ••••••'")
    expect(masked).toContain("-H 'x-request-id: r-1'")
    expect(masked).toContain("-H 'accept: application/json'")
    expect(toCurl(withKeys, true)).toContain('glpat-789')
  })

  it('says a DPoP proof is single-use, and masks it', () => {
    const withProof = {
      ...entry,
      requestHeaders: [
        ['authorization', 'DPoP at-secret'],
        ['dpop', 'eyJ.proof.sig'],
      ] as [string, string][],
    }
    const masked = toCurl(withProof, false)
    expect(masked.split('\n')[0]).toMatch(/^# The DPoP proof below was single-use/)
    expect(masked).not.toContain('eyJ.proof.sig')
    expect(masked).toContain("-H 'dpop: ••••••'")
    expect(toCurl(entry, false)).not.toContain('DPoP proof')
  })

  it('quotes for the shell', () => {
    expect(toCurl({ ...entry, requestHeaders: [], requestBody: "it's" }, true)).toContain(
      `'it'\\''s'`,
    )
  })

  it('masks code, verifier and secrets in forms', () => {
    expect(maskForm('code=abc&code_verifier=v&client_secret=s&state=st')).toBe(
      'code=••••••&code_verifier=••••••&client_secret=••••••&state=st',
    )
  })

  it('records status, or why no answer came', async () => {
    const seen: Omit<TimelineEntry, 'id'>[] = []
    const ok = recordingFetch(
      async () => new Response('', { status: 204 }),
      'API call',
      (e) => seen.push(e),
      () => 5,
    )
    await ok('https://api.test/x', { method: 'DELETE' })
    const down = recordingFetch(
      () => Promise.reject(new TypeError('Failed to fetch')),
      'refresh',
      (e) => seen.push(e),
      () => 5,
    )
    await expect(down('https://id.test/token')).rejects.toThrow(TypeError)
    expect(seen.map((e) => [e.step, e.method, e.status])).toEqual([
      ['API call', 'DELETE', '204'],
      ['refresh', 'GET', 'network error'],
    ])
  })

  it('shows an opaque redirect as a redirect, not as status 0', async () => {
    const seen: Omit<TimelineEntry, 'id'>[] = []
    const redirected = recordingFetch(
      () => Promise.resolve(opaqueRedirect()),
      'discovery',
      (e) => seen.push(e),
      () => 5,
    )
    await redirected('https://id.test/.well-known/openid-configuration', { redirect: 'manual' })
    expect(seen.map((e) => e.status)).toEqual(['redirect (not followed)'])
  })
})

describe('toStoredTokens', () => {
  const previous = {
    access_token: 'a',
    token_type: 'Bearer',
    refresh_token: 'old',
    id_token: 'id',
    received_at: 0,
  }
  it('keeps the old refresh token and ID token when a refresh answer has none', () => {
    const next = toStoredTokens(
      { access_token: 'b', token_type: 'bearer', expires_in: 10 },
      1000,
      previous,
    )
    expect(next).toMatchObject({
      access_token: 'b',
      refresh_token: 'old',
      id_token: 'id',
      expires_at: 11_000,
    })
  })
  it('takes a rotated refresh token', () => {
    const next = toStoredTokens(
      { access_token: 'b', token_type: 'bearer', refresh_token: 'new' },
      0,
      previous,
    )
    expect(next.refresh_token).toBe('new')
  })
  it('refuses an expires_in beyond any date (1e13 s: finite, so oauth4webapi takes it)', () => {
    expect(() =>
      toStoredTokens({ access_token: 'b', token_type: 'bearer', expires_in: 1e13 }, 1000),
    ).toThrow(expect.objectContaining({ code: 'invalid_token_response' }) as Error)
  })
  it("keeps the refresh token's expiry only when the provider said (refresh_expires_in)", () => {
    const said = toStoredTokens(
      { access_token: 'b', token_type: 'bearer', refresh_token: 'r', refresh_expires_in: 1800 },
      1000,
    )
    expect(said.refresh_expires_at).toBe(1000 + 1_800_000)
    const silent = toStoredTokens(
      { access_token: 'b', token_type: 'bearer', refresh_token: 'r' },
      0,
    )
    expect(silent).not.toHaveProperty('refresh_expires_at')
    // Keycloak's 0 means "no expiry"; a string is not a number of seconds.
    for (const odd of [0, -5, '1800', 1e13])
      expect(
        toStoredTokens(
          { access_token: 'b', token_type: 'bearer', refresh_token: 'r', refresh_expires_in: odd },
          0,
        ),
      ).not.toHaveProperty('refresh_expires_at')
  })
  it("keeps the old refresh token's expiry with the old token, and drops it on rotation", () => {
    const held = { ...previous, refresh_expires_at: 99_000 }
    const kept = toStoredTokens({ access_token: 'b', token_type: 'bearer' }, 1000, held)
    expect(kept.refresh_expires_at).toBe(99_000)
    const rotated = toStoredTokens(
      { access_token: 'b', token_type: 'bearer', refresh_token: 'new' },
      1000,
      held,
    )
    expect(rotated).not.toHaveProperty('refresh_expires_at')
  })
  it('caps a lifetime over a year to one, flagged for the session panel', () => {
    const next = toStoredTokens(
      { access_token: 'b', token_type: 'bearer', expires_in: 10 * 365 * 86_400 },
      1000,
    )
    expect(next).toMatchObject({ expires_at: 1000 + MAX_LIFETIME_MS, expiry_capped: true })
  })
})
