import { describe, expect, it } from 'vitest'
import {
  applyPreset,
  emptyFormValues,
  formValuesOf,
  profileInputOf,
  withDiscovered,
} from '../../src/console/profiles/form'
import { NEXUS_MODS_PEM } from '../../src/core/profile/presets'
import type { Profile } from '../../src/core/profile/types'
import { validateProfile } from '../../src/core/profile/validate'

const full: Profile = {
  id: 'acme',
  name: 'Acme',
  issuer: 'https://id.acme.test',
  discovery: true,
  authorization_endpoint: 'https://id.acme.test/authorize',
  token_endpoint: 'https://id.acme.test/token',
  refresh_endpoint: 'https://id.acme.test/refresh',
  revocation_endpoint: 'https://id.acme.test/revoke',
  userinfo_endpoint: 'https://id.acme.test/me',
  end_session_endpoint: 'https://id.acme.test/logout',
  jwks_uri: 'https://id.acme.test/jwks',
  verification_keys: [NEXUS_MODS_PEM],
  client_id: 'app',
  client_secret: 'hunter2',
  scope: 'openid email',
  redirect_uri: 'https://app.test/console/',
  pkce: true,
  authorization_params: { prompt: 'consent' },
  requests: [{ name: 'Me', method: 'GET', url: 'https://id.acme.test/me' }],
}

const inputOf = (patch: Partial<ReturnType<typeof emptyFormValues>>) =>
  profileInputOf({ ...formValuesOf(full), ...patch })

describe('profile form values', () => {
  it('round-trips every field of a profile', () => {
    const { input, problems } = profileInputOf(formValuesOf(full))
    expect(problems).toEqual([])
    const result = validateProfile(input)
    expect(result.ok && result.profile).toEqual(full)
  })

  it('leaves empty optional fields out and tidies the scope', () => {
    const values = {
      ...emptyFormValues(),
      id: ' acme ',
      client_id: 'app',
      scope: '  openid   email ',
    }
    expect(profileInputOf(values)).toEqual({
      input: { id: 'acme', client_id: 'app', discovery: false, pkce: true, scope: 'openid email' },
      problems: [],
    })
  })

  it('reads several PEM blocks, and JWKs as a key, a list or a JWKS', () => {
    const pem = NEXUS_MODS_PEM.trim()
    expect(inputOf({ verification_keys: `${pem}\n\n${pem}` }).input.verification_keys).toEqual([
      NEXUS_MODS_PEM,
      NEXUS_MODS_PEM,
    ])
    const jwk = { kty: 'RSA', n: 'abc', e: 'AQAB' }
    for (const text of [jwk, [jwk], { keys: [jwk] }].map((v) => JSON.stringify(v))) {
      expect(inputOf({ verification_keys: text }).input.verification_keys).toEqual([jwk])
    }
  })

  it('names the field whose text cannot be read', () => {
    expect(inputOf({ verification_keys: 'not a key' }).problems).toEqual([
      expect.stringMatching(/^"verification_keys" must be PEM public keys/),
    ])
    expect(inputOf({ requests: '[{' }).problems).toEqual([
      expect.stringMatching(/^"requests" is not valid JSON/),
    ])
    expect(inputOf({ authorization_params: '{ nope }' }).problems).toEqual([
      expect.stringMatching(/^"authorization_params" is not valid JSON/),
    ])
  })

  it("fills only the empty fields with a preset's values", () => {
    const values = applyPreset({ ...emptyFormValues(), scope: 'public' }, 'nexus-mods')
    expect(values).toMatchObject({
      preset: 'nexus-mods',
      name: 'Nexus Mods',
      discovery: true,
      scope: 'public',
      token_endpoint: 'https://users.nexusmods.com/oauth/token',
    })
    expect(values.verification_keys).toContain('BEGIN PUBLIC KEY')
    expect(applyPreset(values, '').preset).toBe('')
  })

  it('fills a form that names its own server with host-free preset values only', () => {
    const values = applyPreset(
      { ...emptyFormValues(), issuer: 'http://localhost:3000' },
      'nexus-mods',
    )
    expect(values).toMatchObject({ name: 'Nexus Mods', discovery: true, token_endpoint: '' })
    expect(values.verification_keys).toBe('')
    expect(values.requests).toBe('')
  })

  it('copies discovered endpoints, replacing what was typed', () => {
    const values = withDiscovered(
      { ...emptyFormValues(), token_endpoint: 'https://old.test/token' },
      {
        issuer: 'https://id.acme.test',
        token_endpoint: 'https://id.acme.test/token',
        jwks_uri: 'https://id.acme.test/jwks',
        code_challenge_methods_supported: ['S256'],
      },
    )
    expect(values).toMatchObject({
      token_endpoint: 'https://id.acme.test/token',
      jwks_uri: 'https://id.acme.test/jwks',
      authorization_endpoint: '',
    })
  })
})
