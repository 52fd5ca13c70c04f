import { describe, expect, it } from 'vitest'
import { alertContent, hintFor, signOutHint, type HintSource } from '../../src/console/alerts'
import { AUTH_ERROR_CODES, toAuthError } from '../../src/core/auth-error'
import {
  APP_ERROR_CODES,
  AppError,
  toAppError,
  type AppErrorDetail,
} from '../../src/core/protocol/errors'

const context = { origin: 'https://console.example' }

/** Every situation a hint branches on, and none. */
const situations: (AppErrorDetail | undefined)[] = [
  undefined,
  { step: 'discovery' },
  { step: 'discovery', url: 'https://id.test/.well-known/openid-configuration' },
  { step: 'discovery', redirected: true },
  { step: 'refresh' },
  { step: 'logout return' },
  { step: 'import' },
  { step: 'import', imported: 0 },
  { field: 'client_id' },
  { field: 'token_endpoint' },
  { field: 'expires_in' },
  { url: 'https://id.test' },
  { scope: 'openid' },
  { fallback: true },
]

describe('hintFor', () => {
  it('has a hint for every code the core reports, in every situation', () => {
    for (const code of APP_ERROR_CODES) {
      for (const detail of situations) {
        const hint = hintFor({ code, detail }, context)
        expect(hint, `${code} ${JSON.stringify(detail)}`).toMatch(/^[A-Z].{10,}[.]$/)
        expect(hint).not.toMatch(/undefined|\[object/)
      }
    }
  })

  it.each<[string, HintSource, string]>([
    [
      'a CORS refusal names the page origin to allow',
      { code: 'cors_blocked' },
      'ask the provider to allow the origin https://console.example,',
    ],
    [
      'a denied authorization says to allow access',
      { code: 'oauth_error', error: 'access_denied' },
      'Access was denied at the provider.',
    ],
    [
      'invalid_client points at the Client ID',
      { code: 'oauth_error', error: 'invalid_client' },
      'Client ID or secret',
    ],
    [
      "userinfo's 403 names the scope to add",
      { code: 'oauth_error', error: 'insufficient_scope', detail: { scope: 'openid profile' } },
      "Edit the profile's Scope to include openid profile, then log in again.",
    ],
    [
      'an issuer the profile cannot vouch for is named, to set as its Issuer',
      { code: 'iss_mismatch', detail: { url: 'https://a.test' } },
      'set its Issuer to https://a.test',
    ],
    ['another iss mismatch starts again', { code: 'iss_mismatch' }, 'Press Log in to start again.'],
    [
      'a logout return with a strange state: signed out anyway',
      { code: 'state_mismatch', detail: { step: 'logout return' } },
      'You are signed out of PKCE Console either way',
    ],
    ['a login state mismatch starts again', { code: 'state_mismatch' }, 'Log in to start again'],
    [
      'discovery names where it read from',
      { code: 'discovery_failed', detail: { step: 'discovery', url: 'https://id.test/x' } },
      'discovery is read from exactly https://id.test/x',
    ],
    [
      'discovery met a redirect',
      { code: 'discovery_failed', detail: { step: 'discovery', redirected: true } },
      'Ask the provider to serve its metadata there',
    ],
    [
      'discovered endpoints that are not https:',
      { code: 'discovery_failed', detail: { step: 'discovery', field: 'token_endpoint' } },
      'must publish https: endpoints',
    ],
    [
      'a discovery timeout offers the endpoints by hand',
      { code: 'timeout', detail: { step: 'discovery' } },
      'or give the endpoints by hand.',
    ],
    ['a token timeout starts again', { code: 'timeout' }, 'Log in to start again'],
    [
      'a fallback is a notice',
      { code: 'discovery_failed', detail: { fallback: true } },
      'Nothing to do unless the login fails.',
    ],
    [
      'a missing endpoint is named by its form label',
      { code: 'invalid_profile', detail: { field: 'authorization_endpoint' } },
      'Edit the profile and add the Authorization endpoint.',
    ],
    [
      'a missing Client ID',
      { code: 'invalid_profile', detail: { field: 'client_id' } },
      'enter the Client ID your provider registered',
    ],
    [
      'an import with other profiles imported',
      { code: 'invalid_profile', detail: { step: 'import', imported: 2 } },
      'the other profiles were imported.',
    ],
    [
      'an import that saved nothing',
      { code: 'invalid_profile', detail: { step: 'import', imported: 0 } },
      'Correct the JSON and import it again.',
    ],
    [
      'an import the browser could not store',
      { code: 'invalid_profile', detail: { step: 'import' } },
      'lets the page store data',
    ],
    [
      'a non-Bearer token',
      { code: 'invalid_token_response', detail: { field: 'token_type' } },
      'issues Bearer tokens.',
    ],
    [
      'an unusable expires_in',
      { code: 'invalid_token_response', detail: { field: 'expires_in' } },
      'press Log in to try again.',
    ],
    [
      'metadata naming its issuer with a trailing slash (Okta, Keycloak behind a proxy)',
      { code: 'issuer_mismatch', detail: { url: 'https://id.test/realms/x/' } },
      "set the profile's Issuer to exactly that",
    ],
    [
      "Entra's multi-tenant metadata, whose issuer is a template",
      {
        code: 'issuer_mismatch',
        detail: { url: 'https://login.microsoftonline.com/{tenantid}/v2.0' },
      },
      'https://login.microsoftonline.com/<tenant id>/v2.0',
    ],
    [
      "Entra's AADSTS9002326: the redirect URI is registered as Web, not as a single-page app",
      { code: 'oauth_error', error: 'invalid_request', detail: { providerCodes: [9002326] } },
      'under the "Single-page application" platform',
    ],
    [
      "Entra's AADSTS700025: a secret sent for a public client",
      { code: 'oauth_error', error: 'invalid_client', detail: { providerCodes: [700025] } },
      'remove the Client secret',
    ],
    [
      'a scope the provider refuses',
      { code: 'oauth_error', error: 'invalid_scope' },
      "Edit the profile's Scope",
    ],
    [
      "a provider's error named like an object's property",
      { code: 'oauth_error', error: 'constructor' },
      'Press Log in to start again.',
    ],
    [
      'a client not allowed the grant',
      { code: 'oauth_error', error: 'unauthorized_client' },
      'allow this Client ID the authorization code flow',
    ],
    [
      'an ID token signed with HMAC',
      { code: 'id_token_invalid', detail: { field: 'alg' } },
      'signed with RS256 or ES256',
    ],
    [
      "an ID token from the profile's issuer written another way",
      { code: 'id_token_invalid', detail: { field: 'iss', url: 'https://id.test/realms/x/' } },
      'The provider writes its issuer as https://id.test/realms/x/',
    ],
    [
      "a callback iss that is the profile's issuer written another way",
      { code: 'iss_mismatch', detail: { field: 'issuer', url: 'https://id.test/realms/x/' } },
      "set the profile's Issuer to exactly that",
    ],
    [
      'an ID token changed by a refresh',
      { code: 'id_token_invalid', detail: { step: 'refresh' } },
      'Press Log in to sign in again.',
    ],
  ])('%s', (_what, source, expected) => {
    expect(hintFor(source, context)).toContain(expected)
  })

  it('says what to do after a sign-out, by its reason', () => {
    expect(signOutHint({ code: 'invalid_grant', message: 'm' })).toBe(
      'Press Log in to sign in again.',
    )
    expect(signOutHint({ code: 'server_changed', message: 'm' })).toBe(
      hintFor({ code: 'server_changed' }, context),
    )
  })

  it("offers the provider's error_uri as a link", () => {
    const error = new AppError('oauth_error', 'refused', {
      error: 'invalid_request',
      detail: { errorUri: 'https://login.example.test/error?code=9002326' },
    })
    expect(alertContent(error, context).moreInfo).toBe(
      'https://login.example.test/error?code=9002326',
    )
  })

  it("shows an error's code, message, hint and the provider's description", () => {
    const error = new AppError('oauth_error', 'The token request was refused (HTTP 400).', {
      error: 'invalid_grant',
      errorDescription: '<b>expired</b>',
    })
    expect(alertContent(error, context)).toEqual({
      code: 'invalid_grant',
      message: 'The token request was refused (HTTP 400).',
      hint: 'Press Log in to start again.',
      description: '<b>expired</b>',
    })
  })
})

describe("the library's errors", () => {
  it('carry no user-facing hint: that is the caller’s', () => {
    const error = toAppError(new TypeError('Failed to fetch'), 'token request')
    expect('hint' in error).toBe(false)
    expect('hint' in toAuthError(error)).toBe(false)
  })

  it('name every code the core reports in the library’s own union', () => {
    const known = new Set<string>(AUTH_ERROR_CODES)
    expect(APP_ERROR_CODES.filter((code) => !known.has(code))).toEqual([])
    expect(toAuthError(new AppError('internal_error', 'm')).code).toBe('internal_error')
  })
})
