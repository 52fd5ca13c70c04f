import { describe, expect, it } from 'vitest'
import { auditMarkdown } from '../../src/console/audit/markdown'
import { runAudit, type AuditDeps } from '../../src/console/audit/run'
import { resolveEndpoints } from '../../src/core/protocol/endpoints'
import type { Profile } from '../../src/core/profile/types'
import { memoryStore } from '../../src/core/storage/kv'
import { entry, goodMetadata, ISSUER, jwtWith, rsaKey, stateWith, tokens } from './audit-fixtures'
import { json, scriptedFetch, type Script } from './fake-fetch'

const profile: Profile = {
  id: 'good',
  name: 'Good IdP',
  issuer: ISSUER,
  discovery: true,
  client_id: 'app',
  scope: 'openid offline_access',
  pkce: true,
}
const NOW = 5_000_000

const discovery = (body: unknown): Script => ({
  method: 'GET',
  url: `${ISSUER}/.well-known/openid-configuration`,
  answer: () => json(body),
})
const jwks = (keys: unknown[]): Script => ({
  method: 'GET',
  url: `${ISSUER}/jwks`,
  answer: () => json({ keys }),
})
const userinfo401: Script = {
  method: 'GET',
  url: `${ISSUER}/me`,
  answer: () => json({ error: 'invalid_token' }, 401),
}

/** The audit's dependencies over a scripted network, with the real resolveEndpoints. */
function deps(
  server: ReturnType<typeof scriptedFetch>,
  overrides: Partial<AuditDeps> = {},
  audited: Profile = profile,
): AuditDeps {
  const store = memoryStore()
  return {
    fetch: server.fetch,
    now: () => NOW,
    resolve: () => resolveEndpoints(audited, store, { fetch: server.fetch, now: NOW, fresh: true }),
    state: stateWith({ selectedId: audited.id }),
    rotation: undefined,
    appOrigin: 'https://app.test',
    ...overrides,
  }
}

const levels = (findings: { level: string }[]) => findings.map((f) => f.level)

describe('runAudit', () => {
  it('fails nothing on a provider set up well, asking only metadata, JWKS and userinfo', async () => {
    const requests: RequestInit[] = []
    const server = scriptedFetch([discovery(goodMetadata()), jwks([rsaKey(2048)]), userinfo401])
    const spying: typeof fetch = (input, init) => {
      requests.push(init ?? {})
      return server.fetch(input, init)
    }
    const report = await runAudit(profile, { ...deps(server), fetch: spying })
    server.done()
    expect(levels(report.findings)).not.toContain('Fail')
    expect(report).toMatchObject({ profileName: 'Good IdP', server: ISSUER, at: NOW })
    // The probes: plain GETs, no credentials, no Authorization header.
    expect(requests).toEqual([
      { method: 'GET', credentials: 'omit' },
      { method: 'GET', credentials: 'omit' },
    ])
    const texts = report.findings.map((f) => `${f.level} ${f.checked}`)
    expect(texts).toContain(
      `Pass Issuer: the metadata names exactly the issuer asked for, ${ISSUER}.`,
    )
    expect(texts.some((t) => t.startsWith('Pass CORS at the JWKS'))).toBe(true)
    expect(texts.some((t) => t.startsWith('Pass CORS at the userinfo endpoint'))).toBe(true)
    // Signed out: what only a session shows is not checked yet, and marked as such.
    expect(report.findings.filter((f) => f.pending).map((f) => f.checked.split(':')[0])).toEqual([
      'CORS at the token endpoint',
      'iss on the callback',
      'Refresh token rotation',
      'Access token lifetime',
      'Refresh token lifetime',
      'ID token algorithm',
    ])
    for (const f of report.findings.filter((f) => f.pending)) {
      expect(f.level).toBe('Warning')
      expect(f.checked).toContain('not checked yet')
    }
  })

  it('finds every bad setting of a misconfigured provider, each with its citation', async () => {
    const bad = goodMetadata({
      code_challenge_methods_supported: ['plain'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      authorization_response_iss_parameter_supported: undefined,
      response_types_supported: ['code', 'token', 'id_token token'],
      grant_types_supported: ['authorization_code', 'implicit', 'password'],
      dpop_signing_alg_values_supported: undefined,
      pushed_authorization_request_endpoint: undefined,
    })
    const server = scriptedFetch([
      discovery(bad),
      {
        method: 'GET',
        url: `${ISSUER}/jwks`,
        answer: () => Promise.reject(new TypeError('Failed to fetch')) as never,
      },
      {
        method: 'GET',
        url: `${ISSUER}/me`,
        answer: () => Promise.reject(new TypeError('Failed to fetch')) as never,
      },
    ])
    const report = await runAudit(profile, deps(server))
    server.done()
    const found = report.findings.map((f) => `${f.level} | ${f.checked.split(':')[0]} | ${f.cite}`)
    expect(found).toEqual(
      expect.arrayContaining([
        'Fail | PKCE | RFC 9700 §2.1.1, RFC 10017 §6.3.2.1',
        'Fail | Public clients | RFC 10017 §6.3.3.1',
        'Warning | Implicit grant | RFC 9700 §2.1.2',
        'Fail | Password grant | RFC 9700 §2.4',
        'Warning | Mix-up defence | RFC 9207 §3, RFC 9700 §4.4',
        'Warning | DPoP | RFC 9449 §5.1',
        'Warning | PAR | RFC 9126 §5',
        'Fail | CORS at the JWKS | RFC 10017 §6.3.3.4',
        'Warning | CORS at the userinfo endpoint | RFC 10017 §6.3.3.4',
      ]),
    )
  })

  it('fails an issuer mismatch, audits what the refused metadata advertises, and asks nothing it names', async () => {
    const server = scriptedFetch([
      discovery(goodMetadata({ issuer: `${ISSUER}/other`, grant_types_supported: ['password'] })),
    ])
    const report = await runAudit(profile, deps(server))
    server.done()
    expect(report.findings[0]).toMatchObject({ level: 'Fail', cite: 'RFC 8414 §3.3' })
    expect(report.findings[0]?.checked).toContain(`"${ISSUER}/other"`)
    expect(
      report.findings.some((f) => f.level === 'Fail' && f.checked.startsWith('Password grant')),
    ).toBe(true)
  })

  it('reports a failed discovery as a finding with what to do', async () => {
    const server = scriptedFetch([
      {
        method: 'GET',
        url: `${ISSUER}/.well-known/openid-configuration`,
        answer: () => json({}, 404),
      },
      {
        method: 'GET',
        url: `${ISSUER}/.well-known/oauth-authorization-server`,
        answer: () => json({}, 404),
      },
    ])
    const report = await runAudit(profile, deps(server))
    server.done()
    expect(levels(report.findings)).toEqual(['Fail'])
    expect(report.findings[0]?.pending).toBeUndefined()
    expect(report.findings[0]?.checked).toMatch(/^Discovery: Discovery at .* failed/)
  })

  it("says once that nothing advertised was checked when Discovery is off, and still probes the profile's JWKS", async () => {
    const manual: Profile = {
      id: 'manual',
      name: 'Manual',
      client_id: 'app',
      scope: '',
      pkce: true,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
    }
    const server = scriptedFetch([jwks([rsaKey(1024)])])
    const report = await runAudit(manual, deps(server, {}, manual))
    server.done()
    expect(report.findings[0]?.checked).toContain('Discovery is off')
    expect(report.findings.some((f) => f.level === 'Fail' && f.checked.includes('1024 bits'))).toBe(
      true,
    )
    expect(report.findings.some((f) => f.checked.startsWith('PKCE'))).toBe(false)
  })

  it("says discovery failed and checks the profile's own endpoints when it falls back", async () => {
    const withEndpoints: Profile = {
      ...profile,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
    }
    const server = scriptedFetch([
      {
        method: 'GET',
        url: `${ISSUER}/.well-known/openid-configuration`,
        answer: () => json({}, 404),
      },
      {
        method: 'GET',
        url: `${ISSUER}/.well-known/oauth-authorization-server`,
        answer: () => json({}, 404),
      },
    ])
    const report = await runAudit(withEndpoints, deps(server, {}, withEndpoints))
    server.done()
    expect(report.findings[0]).toMatchObject({ level: 'Warning' })
    expect(report.findings[0]?.checked).toMatch(
      /^Metadata: discovery failed \(Discovery at .*\), so the profile's own endpoints were checked/,
    )
    expect(
      report.findings.some((f) => f.checked.startsWith('Issuer') || f.checked.startsWith('PKCE')),
    ).toBe(false)
  })

  it('treats a profile with an Issuer but Discovery off as having no metadata', async () => {
    const manual: Profile = {
      ...profile,
      discovery: false,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
    }
    const server = scriptedFetch([])
    const report = await runAudit(manual, deps(server, {}, manual))
    server.done()
    expect(report.findings[0]?.checked).toContain('Discovery is off')
    expect(
      report.findings.some((f) => f.checked.startsWith('Issuer') || f.checked.startsWith('PKCE')),
    ).toBe(false)
  })

  it('adds what the session observed, and no token reaches the report', async () => {
    const idToken = jwtWith({ alg: 'RS256', kid: 'rsa-2048' }, { sub: 'alice' })
    const held = tokens(NOW - 1000, 300, { refresh_token: 'refresh-secret', id_token: idToken })
    const state = stateWith({
      selectedId: 'good',
      tokens: held,
      timeline: [
        entry({ step: 'authorize redirect', url: `${ISSUER}/auth`, method: 'GET' }),
        entry({ step: 'callback', note: 'parameters: code, state, iss' }),
        entry({ step: 'code exchange', url: `${ISSUER}/token`, method: 'POST', status: '200 OK' }),
        entry({ step: 'refresh', url: `${ISSUER}/token`, method: 'POST', status: '200 OK' }),
      ],
    })
    const server = scriptedFetch([discovery(goodMetadata()), jwks([rsaKey(2048)]), userinfo401])
    const report = await runAudit(
      profile,
      deps(server, { state, rotation: { rotated: 1, kept: 0 } }),
    )
    server.done()
    const observed = report.findings.slice(-6)
    expect(observed.map((f) => `${f.level} ${f.checked.split(':')[0]}`)).toEqual([
      'Pass CORS at the token endpoint',
      'Pass iss on the callback',
      'Pass Refresh token rotation',
      'Pass Access token lifetime',
      'Warning Refresh token lifetime',
      'Pass ID token algorithm',
    ])
    const markdown = auditMarkdown(report)
    for (const secret of [
      held.access_token,
      'refresh-secret',
      idToken,
      idToken.split('.')[1] ?? '',
    ])
      expect(markdown).not.toContain(secret)
  })

  it("does not take another profile's tokens for this one's", async () => {
    const state = stateWith({ selectedId: 'other', tokens: tokens(NOW, 99_999) })
    const server = scriptedFetch([discovery(goodMetadata()), jwks([rsaKey(2048)]), userinfo401])
    const report = await runAudit(profile, deps(server, { state }))
    server.done()
    expect(
      report.findings.find((f) => f.checked.startsWith('Access token lifetime'))?.checked,
    ).toContain('not checked yet')
  })
})
