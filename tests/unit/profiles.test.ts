import { describe, expect, it } from 'vitest'
import { parseProfilesDocument } from '../../src/console/profiles/providers-file'
import { NEXUS_MODS_PEM } from '../../src/core/profile/presets'
import { validateProfile } from '../../src/core/profile/validate'

const base = {
  id: 'acme',
  name: 'Acme',
  client_id: 'app',
  authorization_endpoint: 'https://id.acme.test/authorize',
  token_endpoint: 'https://id.acme.test/token',
}

describe('validateProfile', () => {
  it('accepts a minimal profile and fills defaults', () => {
    const result = validateProfile(base)
    expect(result.ok && result.profile).toMatchObject({ pkce: true, scope: '' })
  })

  it.each([
    ['javascript:alert(1)', 'javascript:'],
    ['data:text/html,hi', 'data:'],
    ['http://id.acme.test/authorize', 'plain http'],
    ['/authorize', 'not an absolute URL'],
    // Reads as Google's, is evil.test's.
    ['https://accounts.google.com@evil.test/authorize', 'its host is evil.test'],
    ['http://user:pw@localhost:4000/a', 'user name before "@"'],
  ])('refuses the endpoint %s', (endpoint, words) => {
    const result = validateProfile({ ...base, authorization_endpoint: endpoint })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errors.join()).toContain(words)
  })

  it.each(['http://localhost:4000/a', 'http://127.0.0.1/a', 'http://[::1]:8080/a'])(
    'allows http on the loopback host %s',
    (endpoint) => {
      expect(validateProfile({ ...base, token_endpoint: endpoint }).ok).toBe(true)
    },
  )

  it('requires endpoints unless discovery names an issuer', () => {
    const noEndpoints = { id: 'x', client_id: 'c' }
    expect(validateProfile(noEndpoints).ok).toBe(false)
    expect(
      validateProfile({ ...noEndpoints, issuer: 'https://idp.test', discovery: true }).ok,
    ).toBe(true)
    const missingIssuer = validateProfile({ ...noEndpoints, discovery: true })
    expect(!missingIssuer.ok && missingIssuer.errors).toContain(
      '"discovery": true needs an "issuer"',
    )
  })

  it('refuses a bad id, a missing client id and pkce off without a secret', () => {
    const result = validateProfile({ ...base, id: 'Bad Id', client_id: '', pkce: false })
    expect(result.ok).toBe(false)
    const errors = result.ok ? '' : result.errors.join('\n')
    expect(errors).toContain('"id" must match')
    expect(errors).toContain('"client_id" is required')
    expect(errors).toContain('"pkce": false is only allowed')
  })

  it('reports unknown fields without refusing the profile', () => {
    const result = validateProfile({ ...base, colour: 'blue' })
    expect(result).toMatchObject({ ok: true, warnings: ['unknown field "colour" is ignored'] })
  })

  it('keeps an ignored field out of the profile it returns', () => {
    const result = validateProfile({ ...base, clientSecret: 's3cret' })
    expect(result.ok && result.warnings).toEqual(['unknown field "clientSecret" is ignored'])
    expect(result.ok && JSON.stringify(result.profile)).not.toContain('s3cret')
  })

  it.each([
    'response_mode',
    'response_type',
    'request',
    'request_uri',
    'redirect_uri',
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'client_id',
    'Response_Mode',
  ])('refuses the reserved authorize parameter %s', (name) => {
    const result = validateProfile({ ...base, authorization_params: { [name]: 'x' } })
    expect(!result.ok && result.errors).toEqual([
      `"authorization_params" may not set "${name}": the app sets it, or it changes how the response comes back`,
    ])
  })

  it("refuses the reserved parameters in the authorization endpoint's own query too", () => {
    const result = validateProfile({
      ...base,
      authorization_endpoint: 'https://id.test/authorize?response_mode=form_post&prompt=login',
    })
    expect(!result.ok && result.errors).toEqual([
      '"authorization_endpoint" may not carry "response_mode" in its query: it changes how the response comes back',
    ])
    // What a provider's URL builder copies in (Discord's: client_id, response_type, scope) is
    // harmless: the app sends its own values instead.
    const built = 'https://id.test/a?tenant=x&client_id=c&response_type=code&scope=identify'
    expect(validateProfile({ ...base, authorization_endpoint: built }).ok).toBe(true)
  })

  it('accepts other authorize parameters', () => {
    const result = validateProfile({ ...base, authorization_params: { prompt: 'login' } })
    expect(result.ok && result.profile.authorization_params).toEqual({ prompt: 'login' })
  })

  it('applies the Nexus Mods preset and lets the profile override it', () => {
    const result = validateProfile({
      id: 'nexus',
      preset: 'nexus-mods',
      client_id: 'my-app',
      scope: 'public',
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.profile).toMatchObject({
      name: 'Nexus Mods',
      issuer: 'https://users.nexusmods.com',
      discovery: true,
      token_endpoint: 'https://users.nexusmods.com/oauth/token',
      scope: 'public',
      verification_keys: [NEXUS_MODS_PEM],
    })
  })

  it('applies the MyNickname preset with its separate refresh endpoint', () => {
    const result = validateProfile({ id: 'nick', preset: 'mynickname', client_id: 'c' })
    expect(result.ok && result.profile.refresh_endpoint).toBe(
      'https://api.mynickname.com/oauth/refresh_token',
    )
    expect(result.ok && result.profile.requests?.map((r) => r.url)).toEqual([
      'https://api.mynickname.com/v1/nickname',
      'https://api.mynickname.com/v1/nicknames',
    ])
  })

  it('refuses an unknown preset and bad request presets', () => {
    const result = validateProfile({
      ...base,
      preset: 'github',
      requests: [{ name: 'x', method: 'FETCH', url: 'javascript:1' }],
    })
    const errors = result.ok ? '' : result.errors.join('\n')
    expect(errors).toContain('"preset" must be')
    expect(errors).toContain('"requests[0]".method')
    expect(errors).toContain('"requests[0]".url')
  })
})

describe('parseProfilesDocument', () => {
  it('keeps the good profiles when one is bad, and reads the default', () => {
    const doc = parseProfilesDocument(
      {
        profiles: [base, { ...base, id: 'evil', token_endpoint: 'javascript:x' }, base],
        default: 'acme',
      },
      'providers.json',
    )
    expect(doc.profiles.map((p) => p.id)).toEqual(['acme'])
    expect(doc.refused.map((r) => r.id)).toEqual(['evil', 'acme'])
    expect(doc.default).toBe('acme')
  })

  it('reports a document without a profiles list', () => {
    expect(parseProfilesDocument({ nope: 1 }, 'providers.json').refused[0]?.errors[0]).toContain(
      'must hold',
    )
  })
})
