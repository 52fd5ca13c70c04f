import { describe, expect, it } from 'vitest'
import { toStoredTokens } from '../../src/core/protocol/token-response'
import { refreshTokens } from '../../src/core/protocol/refresh'
import { endpointsFor } from '../../src/core/protocol/server'
import type { Profile } from '../../src/core/profile/types'
import { json, scriptedFetch } from './fake-fetch'

const answer = (extra: Record<string, unknown>) =>
  ({ access_token: 'at', token_type: 'Bearer', expires_in: 60, ...extra }) as Parameters<
    typeof toStoredTokens
  >[0]

describe("the refresh token's lifetime, when the provider says it", () => {
  it('keeps refresh_expires_in (Keycloak) and refresh_token_expires_in as an absolute time', () => {
    expect(
      toStoredTokens(answer({ refresh_token: 'rt', refresh_expires_in: 1800 }), 1000),
    ).toMatchObject({
      refresh_expires_at: 1000 + 1_800_000,
    })
    expect(
      toStoredTokens(answer({ refresh_token: 'rt', refresh_token_expires_in: 60 }), 1000)
        .refresh_expires_at,
    ).toBe(61_000)
  })

  it('takes 0, a negative or a non-number for no information', () => {
    for (const value of [0, -5, '1800', Number.MAX_VALUE])
      expect(
        toStoredTokens(answer({ refresh_token: 'rt', refresh_expires_in: value }), 1000),
      ).not.toHaveProperty('refresh_expires_at')
  })

  it('keeps the known expiry when a refresh keeps the refresh token, not when it rotates it', () => {
    const before = toStoredTokens(answer({ refresh_token: 'rt', refresh_expires_in: 100 }), 1000)
    expect(toStoredTokens(answer({}), 5000, before).refresh_expires_at).toBe(101_000)
    expect(toStoredTokens(answer({ refresh_token: 'rt' }), 5000, before).refresh_expires_at).toBe(
      101_000,
    )
    expect(toStoredTokens(answer({ refresh_token: 'rt-2' }), 5000, before)).not.toHaveProperty(
      'refresh_expires_at',
    )
  })

  it('has none without a refresh token', () => {
    expect(toStoredTokens(answer({ refresh_expires_in: 100 }), 1000)).not.toHaveProperty(
      'refresh_expires_at',
    )
  })
})

describe('the granted scope', () => {
  it('is kept by a refresh answer that leaves it out, and replaced by one that names it', () => {
    const before = toStoredTokens(answer({ refresh_token: 'rt', scope: 'openid User.Read' }), 1000)
    expect(toStoredTokens(answer({}), 5000, before).scope).toBe('openid User.Read')
    expect(toStoredTokens(answer({ scope: 'openid' }), 5000, before).scope).toBe('openid')
    expect(toStoredTokens(answer({}), 5000)).not.toHaveProperty('scope')
  })
})

describe('a refresh request', () => {
  const refreshAt = async (tokenEndpoint: string) => {
    const issuer = new URL(tokenEndpoint).origin
    const profile: Profile = {
      id: 'p',
      name: 'P',
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: tokenEndpoint,
      client_id: 'app',
      scope: 'openid offline_access api://app/read',
      pkce: true,
    }
    const server = scriptedFetch([
      {
        method: 'POST',
        url: tokenEndpoint,
        answer: () => json({ access_token: 'at-2', token_type: 'Bearer', expires_in: 60 }),
      },
    ])
    await refreshTokens(
      profile,
      endpointsFor(profile),
      { access_token: 'at', token_type: 'Bearer', refresh_token: 'rt', received_at: 0 },
      { now: () => 1000, fetch: server.fetch },
    )
    return server.sent[0]?.body
  }

  it("carries the login's scope to Microsoft Entra, which requires it", async () => {
    const body = await refreshAt('https://login.microsoftonline.com/tid/oauth2/v2.0/token')
    expect(body?.get('scope')).toBe('openid offline_access api://app/read')
  })

  it('carries no scope elsewhere: an absent scope means the one granted (RFC 6749 §6)', async () => {
    for (const endpoint of [
      'https://id.example.test/token',
      'https://login.microsoftonline.com.evil.test/token',
    ]) {
      expect((await refreshAt(endpoint))?.has('scope')).toBe(false)
    }
  })
})
