import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/core/protocol/errors'
import { PRESETS } from '../../src/core/profile/presets'
import type { Profile } from '../../src/core/profile/types'
import { validateProfile } from '../../src/core/profile/validate'
import { trustedOrigins } from '../../src/core/authorized-fetch'
import { createApiActions } from '../../src/console/api-actions'
import { endpointsOffIssuer, resolveEndpoints } from '../../src/core/protocol/endpoints'
import { initialState, type SessionState } from '../../src/console/state'
import type { AuthClient } from '../../src/core'
import { namesOrigin } from '../../src/core/authorized-fetch'
import { endpointsFor } from '../../src/core/protocol/server'
import { memoryStore } from '../../src/core/storage/kv'

const LOCAL = 'http://localhost:3000'

function valid(input: Record<string, unknown>): Profile {
  const result = validateProfile(input)
  if (!result.ok) throw new Error(result.errors.join('\n'))
  return result.profile
}

/** The profile: the Nexus Mods preset pointed at a local Doorkeeper. */
const localNexus = () =>
  valid({ id: 'local', preset: 'nexus-mods', issuer: LOCAL, client_id: 'app', scope: 'public' })

/** A fetch where every request fails as a network error would. */
const unreachable: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'))

describe('a preset pointed at another server', () => {
  it('keeps only the host-free values of the preset', () => {
    expect(localNexus()).toEqual({
      id: 'local',
      preset: 'nexus-mods',
      name: 'Nexus Mods',
      issuer: LOCAL,
      discovery: true,
      client_id: 'app',
      scope: 'public',
      pkce: true,
    })
  })

  it('drops the preset endpoints, keys and requests when only an endpoint is the own server', () => {
    const profile = valid({
      id: 'nick',
      preset: 'mynickname',
      client_id: 'c',
      authorization_endpoint: `${LOCAL}/oauth/authenticate`,
      token_endpoint: `${LOCAL}/oauth/access_token`,
    })
    expect(profile.refresh_endpoint).toBeUndefined()
    expect(profile.requests).toBeUndefined()
    expect(profile.scope).toBe('basic email')
    expect(profile.discovery).toBeUndefined()
  })

  it('keeps no preset URL off the issuer host, even on a host the profile names', () => {
    const profile = valid({
      id: 'mixed',
      preset: 'nexus-mods',
      client_id: 'c',
      issuer: LOCAL,
      authorization_endpoint: 'https://users.nexusmods.com/oauth/authorize',
    })
    expect(profile.authorization_endpoint).toBe('https://users.nexusmods.com/oauth/authorize')
    expect(profile.token_endpoint).toBeUndefined()
    expect(profile.jwks_uri).toBeUndefined()
    expect(profile.requests).toBeUndefined()
    expect(profile.verification_keys).toBeUndefined()
  })

  it('without an issuer, keeps the preset URLs on the hosts of its own endpoints', () => {
    const profile = valid({
      id: 'nick',
      preset: 'mynickname',
      client_id: 'c',
      authorization_endpoint: `${LOCAL}/oauth/authenticate`,
      token_endpoint: 'https://api.mynickname.com/oauth/access_token',
    })
    expect(profile.refresh_endpoint).toBe('https://api.mynickname.com/oauth/refresh_token')
    expect(profile.requests).toHaveLength(2)
  })

  it('leaves a profile naming only the preset with everything the preset has', () => {
    const profile = valid({ id: 'nexus-mods', preset: 'nexus-mods', client_id: 'public_test' })
    const { name, ...values } = PRESETS['nexus-mods']
    expect(profile).toMatchObject({ ...values, name })
    expect(valid({ id: 'n', preset: 'nexus-mods', client_id: 'c', issuer: values.issuer })).toEqual(
      { ...values, name, id: 'n', preset: 'nexus-mods', client_id: 'c' },
    )
  })

  it('trusts no origin of the real provider for the bearer token', () => {
    const profile = localNexus()
    const trusted = trustedOrigins(profile, [profile.token_endpoint])
    expect([...trusted]).toEqual([LOCAL])
  })

  it('holds back Send to the real provider for confirmation, asked again once re-pointed', async () => {
    const profile = localNexus()
    let state: SessionState = {
      ...initialState(),
      selectedId: 'local',
      profiles: [{ profile, source: 'user' }],
      tokens: { access_token: 'AT', token_type: 'Bearer', expires_at: undefined, received_at: 0 },
    }
    const sent: string[] = []
    const actions = createApiActions({
      getState: () => state,
      update: (patch) => {
        state = { ...state, ...patch }
      },
      client: () =>
        ({
          fetch: (input: RequestInfo | URL) => {
            sent.push(input instanceof Request ? input.url : input.toString())
            return Promise.resolve(new Response('{}'))
          },
          // The library's check, on the endpoints the preset leaves pointed at the local server.
          sendsTokenTo: (target: string) =>
            Promise.resolve(namesOrigin(profile, endpointsFor(profile, { issuer: LOCAL }), target)),
          on: () => () => undefined,
        }) as unknown as AuthClient,
      now: () => 0,
      alertUnlessSignedOut: (cause) => {
        throw cause
      },
    })
    const url = 'https://users.nexusmods.com/oauth/userinfo'
    const origin = 'https://users.nexusmods.com'
    await actions.send({ method: 'GET', url, headers: [] })
    expect(state.api.pending).toMatchObject({
      request: { method: 'GET', url, headers: [] },
      origin,
    })
    expect(sent).toEqual([])
    await actions.confirmSend()
    expect(sent).toEqual([url])
    expect(actions.isConfirmed('local', origin)).toBe(true)
    // Another tab points the profile at another server: its tokens are that server's now.
    const moved = { ...profile, token_endpoint: 'http://127.0.0.1:9/token' }
    state = { ...state, profiles: [{ profile: moved, source: 'user' }] }
    expect(actions.isConfirmed('local', origin)).toBe(false)
    await actions.send({ method: 'GET', url, headers: [] })
    expect(state.api.pending).toMatchObject({ origin })
    expect(sent).toEqual([url])
  })
})

describe('the discovery fallback', () => {
  const offHost = (): Profile => ({
    ...localNexus(),
    authorization_endpoint: 'https://users.nexusmods.com/oauth/authorize',
    token_endpoint: `${LOCAL}/oauth/token`,
  })

  it('names the endpoints that are not on the issuer', () => {
    expect(endpointsOffIssuer(offHost())).toEqual(['authorization_endpoint'])
    expect(endpointsOffIssuer({ ...offHost(), authorization_endpoint: `${LOCAL}/a` })).toEqual([])
  })

  it('refuses to fall back to endpoints of another host', async () => {
    const failure = resolveEndpoints(offHost(), memoryStore(), { fetch: unreachable, now: 0 })
    await expect(failure).rejects.toBeInstanceOf(AppError)
    await expect(failure).rejects.toMatchObject({
      code: 'fallback_off_issuer',
      message: expect.stringContaining(
        "The profile's authorization_endpoint is not on its issuer http://localhost:3000",
      ) as unknown,
    })
  })

  it('falls back to endpoints on the issuer host', async () => {
    const profile = { ...offHost(), authorization_endpoint: `${LOCAL}/oauth/authorize` }
    const result = await resolveEndpoints(profile, memoryStore(), { fetch: unreachable, now: 0 })
    expect(result.endpoints.as.authorization_endpoint).toBe(`${LOCAL}/oauth/authorize`)
    expect(result.fallback?.code).toBe('cors_blocked')
  })
})
