// Every oauth4webapi error class and code the app maps, thrown by oauth4webapi itself from a
// crafted answer, and the code it becomes. Messages are never read: a row whose message mentions
// "iss", "issuer" or "JWT" is classified by the error's code and structured cause alone.
import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { toAuthError } from '../../src/core/auth-error'
import { discover } from '../../src/core/protocol/discovery'
import { toAppError, type AppError } from '../../src/core/protocol/errors'
import { refreshTokens } from '../../src/core/protocol/refresh'
import { isRevocation, isTransient } from '../../src/core/refresh/refresh-policy'
import { endpointsFor } from '../../src/core/protocol/server'
import type { Profile } from '../../src/core/profile/types'
import { json, scriptedFetch } from './fake-fetch'

const ISSUER = 'https://id.example.test'
const as: oauth.AuthorizationServer = { issuer: ISSUER, token_endpoint: `${ISSUER}/token` }
const client: oauth.Client = { client_id: 'app' }

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = () => Math.floor(Date.now() / 1000)
/** A JWT oauth4webapi accepts unless `claims` or `header` say otherwise (it checks no signature). */
const idToken = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  `${b64({ alg: 'RS256', ...header })}.${b64({
    iss: ISSUER,
    aud: 'app',
    sub: 'alice',
    iat: now(),
    exp: now() + 3600,
    ...claims,
  })}.c2ln`
const tokenAnswer = (extra: Record<string, unknown>) =>
  json({ access_token: 'at', token_type: 'Bearer', ...extra })
const text = (body: string, status: number, type = 'text/html') =>
  new Response(body, { status, headers: { 'content-type': type } })

/** What oauth4webapi throws for `work`; fails the test when nothing is thrown. */
async function thrownBy(work: () => unknown): Promise<unknown> {
  try {
    await work()
  } catch (error) {
    return error
  }
  throw new Error('expected oauth4webapi to throw')
}

const codeExchange = (answer: () => Response) => () =>
  oauth.processAuthorizationCodeResponse(as, client, answer())
const refreshAnswer = (answer: () => Response) => () =>
  oauth.processRefreshTokenResponse(as, client, answer())
const discovery = (answer: () => Response) => () =>
  oauth.processDiscoveryResponse(new URL(ISSUER), answer())
const callback = (params: Record<string, string>) => () =>
  oauth.validateAuthResponse(as, client, new URLSearchParams({ state: 's', ...params }), 's')

/** [what, how oauth4webapi is made to throw, the class or code thrown, what the app makes of it] */
const table: [string, () => unknown, string, Partial<AppError>][] = [
  // Provider errors: the OAuth code and the HTTP status are kept.
  [
    'a callback with error=access_denied',
    callback({ error: 'access_denied' }),
    'AuthorizationResponseError',
    { code: 'oauth_error', error: 'access_denied' },
  ],
  [
    '400 invalid_grant',
    codeExchange(() => json({ error: 'invalid_grant' }, 400)),
    'ResponseBodyError',
    { code: 'oauth_error', error: 'invalid_grant', status: 400 },
  ],
  [
    'a 401 Basic challenge',
    refreshAnswer(
      () =>
        new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="id", error="invalid_client"' },
        }),
    ),
    'WWWAuthenticateChallengeError',
    { code: 'oauth_error', error: 'invalid_client', status: 401 },
  ],
  // Answers that are not OAuth at all.
  [
    'an HTML 502',
    codeExchange(() => text('<h1>Bad Gateway</h1>', 502)),
    oauth.RESPONSE_IS_NOT_CONFORM,
    { code: 'provider_unavailable', status: 502 },
  ],
  [
    'a JSON 500 with an OAuth error (only 4xx bodies are read)',
    refreshAnswer(() => json({ error: 'server_error' }, 500)),
    oauth.RESPONSE_IS_NOT_CONFORM,
    { code: 'provider_unavailable', status: 500 },
  ],
  [
    'metadata with status 203',
    discovery(() => json({ issuer: ISSUER }, 203)),
    oauth.RESPONSE_IS_NOT_CONFORM,
    { code: 'invalid_token_response', status: 203 },
  ],
  [
    'an HTML page with status 200',
    codeExchange(() => text('<h1>Welcome</h1>', 200)),
    oauth.RESPONSE_IS_NOT_JSON,
    { code: 'invalid_token_response', status: 200 },
  ],
  [
    'an HTML 400',
    refreshAnswer(() => text('<h1>Bad Request</h1>', 400)),
    oauth.RESPONSE_IS_NOT_JSON,
    { code: 'invalid_token_response', status: 400 },
  ],
  [
    'an empty JSON body',
    codeExchange(() => text('', 200, 'application/json')),
    oauth.PARSE_ERROR,
    { code: 'invalid_token_response' },
  ],
  // A response attribute (the cause names the `body`) versus an ID token claim (`claims`, `header`).
  [
    'no access_token',
    codeExchange(() => json({ token_type: 'Bearer' })),
    oauth.INVALID_RESPONSE,
    { code: 'invalid_token_response' },
  ],
  [
    'expires_in "soon"',
    refreshAnswer(() => tokenAnswer({ expires_in: 'soon' })),
    oauth.INVALID_RESPONSE,
    { code: 'invalid_token_response' },
  ],
  [
    'token_type "mac"',
    codeExchange(() => tokenAnswer({ token_type: 'mac' })),
    'UnsupportedOperationError',
    { code: 'invalid_token_response', detail: { field: 'token_type' } },
  ],
  [
    'an ID token for another audience',
    codeExchange(() => tokenAnswer({ id_token: idToken({ aud: 'someone-else' }) })),
    oauth.JWT_CLAIM_COMPARISON,
    { code: 'id_token_invalid', detail: { field: 'aud' } },
  ],
  [
    'an ID token from another issuer',
    refreshAnswer(() => tokenAnswer({ id_token: idToken({ iss: 'https://evil.test' }) })),
    oauth.JWT_CLAIM_COMPARISON,
    { code: 'id_token_invalid', detail: { field: 'iss' } },
  ],
  [
    'an expired ID token',
    codeExchange(() => tokenAnswer({ id_token: idToken({ exp: now() - 600 }) })),
    oauth.JWT_TIMESTAMP_CHECK,
    { code: 'id_token_invalid', detail: { field: 'exp' } },
  ],
  [
    'an ID token without sub',
    codeExchange(() => tokenAnswer({ id_token: idToken({ sub: undefined }) })),
    oauth.INVALID_RESPONSE,
    { code: 'id_token_invalid' },
  ],
  [
    'an ID token with alg none',
    codeExchange(() => tokenAnswer({ id_token: idToken({}, { alg: 'none' }) })),
    oauth.INVALID_RESPONSE,
    { code: 'id_token_invalid' },
  ],
  [
    'an ID token that is not a JWT',
    codeExchange(() => tokenAnswer({ id_token: 'opaque' })),
    oauth.INVALID_RESPONSE,
    { code: 'id_token_invalid' },
  ],
  [
    'an encrypted ID token (JWE)',
    codeExchange(() => tokenAnswer({ id_token: 'a.b.c.d.e' })),
    'UnsupportedOperationError',
    { code: 'id_token_invalid' },
  ],
  [
    'an ID token with a crit header',
    codeExchange(() => tokenAnswer({ id_token: idToken({}, { crit: ['exp'] }) })),
    'UnsupportedOperationError',
    { code: 'id_token_invalid' },
  ],
  [
    // PARSE_ERROR does not say what it parsed; its message names the JWT, which is not read.
    'an ID token whose header is not base64url JSON',
    codeExchange(() => tokenAnswer({ id_token: 'bm90IGpzb24.e30.c2ln' })),
    oauth.PARSE_ERROR,
    { code: 'invalid_token_response' },
  ],
  // Discovery: the issuer comparison by its attribute, not by the word "issuer".
  [
    'metadata naming another issuer',
    discovery(() => json({ issuer: 'https://evil.test' })),
    oauth.JSON_ATTRIBUTE_COMPARISON,
    { code: 'issuer_mismatch', detail: { field: 'issuer' } },
  ],
  [
    'metadata without "issuer"',
    discovery(() => json({ token_endpoint: `${ISSUER}/token` })),
    oauth.INVALID_RESPONSE,
    { code: 'invalid_token_response' },
  ],
  // The callback: `iss` is checkCallbackIssuer's to judge; oauth4webapi's own refusal of it does
  // not say which parameter failed, so it is an invalid answer like any other.
  [
    'a callback whose iss oauth4webapi refuses',
    callback({ code: 'c', iss: 'https://evil.test' }),
    oauth.INVALID_RESPONSE,
    { code: 'invalid_token_response' },
  ],
  [
    'a callback carrying an access token (implicit flow)',
    callback({ code: 'c', token: 'at' }),
    'UnsupportedOperationError',
    { code: 'invalid_token_response' },
  ],
  // Requests never sent.
  [
    'no token endpoint',
    () =>
      oauth.refreshTokenGrantRequest({ issuer: ISSUER }, client, oauth.None(), 'rt', {
        [oauth.customFetch]: () => Promise.reject(new Error('sent')),
      }),
    oauth.MISSING_SERVER_METADATA,
    { code: 'invalid_profile', detail: { field: 'token_endpoint' } },
  ],
  [
    'an http: token endpoint',
    () =>
      oauth.refreshTokenGrantRequest(
        { issuer: ISSUER, token_endpoint: 'http://id.example.test/token' },
        client,
        oauth.None(),
        'rt',
        { [oauth.customFetch]: () => Promise.reject(new Error('sent')) },
      ),
    oauth.HTTP_REQUEST_FORBIDDEN,
    { code: 'invalid_profile' },
  ],
  // The network, and what the app does not know.
  [
    'fetch rejecting with a bare TypeError',
    () =>
      oauth.refreshTokenGrantRequest(as, client, oauth.None(), 'rt', {
        [oauth.customFetch]: () => Promise.reject(new TypeError('Failed to fetch')),
      }),
    'TypeError',
    { code: 'cors_blocked' },
  ],
  [
    'fetch aborted by the timeout',
    () =>
      oauth.refreshTokenGrantRequest(as, client, oauth.None(), 'rt', {
        [oauth.customFetch]: () => Promise.reject(new DOMException('no answer', 'TimeoutError')),
      }),
    'TimeoutError',
    { code: 'timeout' },
  ],
  [
    'a body that stalls until the timeout aborts it',
    codeExchange(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.error(new DOMException('no answer within 15 s', 'TimeoutError'))
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
    ),
    oauth.PARSE_ERROR,
    { code: 'timeout' },
  ],
  [
    'an argument check (a TypeError with a code: a fault here)',
    () => oauth.refreshTokenGrantRequest(as, client, oauth.None(), ''),
    'TypeError',
    { code: 'internal_error' },
  ],
]

describe('oauth4webapi errors, by class and code', () => {
  it.each(table)('%s', async (_what, work, thrownAs, expected) => {
    const thrown = await thrownBy(work)
    // The row exercises the class or code it claims to, in this oauth4webapi version.
    const { name, code } = thrown as { name: string; code?: string }
    expect(thrownAs === name || thrownAs === code).toBe(true)
    const error = toAppError(thrown, 'token request')
    expect(error).toMatchObject(expected)
    expect(error.cause).toBe(thrown)
  })

  it('makes an error it does not know internal_error, keeping the cause', () => {
    // Hand-made: a code a future oauth4webapi might add, and a fault in the app itself.
    for (const unknown of [
      new oauth.OperationProcessingError('something new', { code: 'OAUTH_SOMETHING_NEW' }),
      new Error('boom'),
      'a string',
    ]) {
      const error = toAppError(unknown, 'refresh request')
      expect(error.code).toBe('internal_error')
      expect(error.cause).toBe(unknown)
      // The library says the same.
      expect(toAuthError(error)).toMatchObject({ code: 'internal_error', cause: error })
    }
  })

  it("hands the provider's code and HTTP status to the library's AuthError", async () => {
    const thrown = await thrownBy(refreshAnswer(() => json({ error: 'invalid_grant' }, 400)))
    expect(toAuthError(toAppError(thrown, 'refresh request'))).toMatchObject({
      code: 'invalid_grant',
      error: 'invalid_grant',
      status: 400,
    })
  })
})

describe('discovery', () => {
  const oidcUrl = `${ISSUER}/.well-known/openid-configuration`
  const oauthUrl = `${ISSUER}/.well-known/oauth-authorization-server`

  it('refuses metadata naming another issuer as final', async () => {
    const server = scriptedFetch([
      { method: 'GET', url: oidcUrl, answer: () => json({ ...as, issuer: 'https://evil.test' }) },
    ])
    await expect(discover(ISSUER, server.fetch)).rejects.toMatchObject({ code: 'issuer_mismatch' })
    server.done()
  })

  it('tries the next URL after metadata without "issuer": no mismatch, only no metadata', async () => {
    const server = scriptedFetch([
      { method: 'GET', url: oidcUrl, answer: () => json({ token_endpoint: as.token_endpoint }) },
      { method: 'GET', url: oauthUrl, answer: () => json(as) },
    ])
    await expect(discover(ISSUER, server.fetch)).resolves.toMatchObject({ issuer: ISSUER })
    server.done()
  })
})

/** A profile whose refresh answers each test scripts. */
const refreshProfile: Profile = {
  id: 'p',
  name: 'P',
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  client_id: 'app',
  scope: 'openid',
  pkce: true,
}
const stored = { access_token: 'at', token_type: 'Bearer', refresh_token: 'rt', received_at: 0 }

/** What a refresh answered `answer` fails with, as the library reports it; fails the test if it succeeds. */
async function refusedRefresh(answer: () => Response): Promise<AppError> {
  const server = scriptedFetch([{ method: 'POST', url: `${ISSUER}/token`, answer }])
  return refreshTokens(refreshProfile, endpointsFor(refreshProfile), stored, {
    now: () => 1000,
    fetch: server.fetch,
  }).then(
    () => {
      throw new Error('expected the refresh to fail')
    },
    (e: unknown) => toAppError(e, 'refresh request'),
  )
}

describe('refresh failures: transient or revocation', () => {
  /** [the refresh answer (or the fetch failure), transient, revocation] */
  const outcomes: [string, () => Response, boolean, boolean][] = [
    ['400 invalid_grant', () => json({ error: 'invalid_grant' }, 400), false, true],
    ['401 invalid_client', () => json({ error: 'invalid_client' }, 401), false, true],
    [
      '401 with a challenge',
      () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } }),
      false,
      true,
    ],
    ['400 HTML', () => text('<h1>Bad Request</h1>', 400), false, true],
    // Rate limits (Auth0, Okta) and a request timeout say "later", not "revoked".
    ['429 rate limited', () => json({ error: 'too_many_requests' }, 429), true, false],
    ['429 text', () => text('Too Many Requests', 429, 'text/plain'), true, false],
    ['408 request timeout', () => text('Request Timeout', 408, 'text/plain'), true, false],
    ['500 JSON', () => json({ error: 'server_error' }, 500), true, false],
    ['503 text', () => text('Service Unavailable', 503, 'text/plain'), true, false],
    [
      '503 with a challenge',
      () => new Response(null, { status: 503, headers: { 'www-authenticate': 'Basic realm="x"' } }),
      true,
      false,
    ],
    [
      'TypeError (network or CORS)',
      () => {
        throw new TypeError('Failed to fetch')
      },
      true,
      false,
    ],
    [
      'timeout',
      () => {
        throw new DOMException('no answer within 15 s', 'TimeoutError')
      },
      true,
      false,
    ],
    ['200 without access_token', () => json({ token_type: 'Bearer' }), false, false],
    [
      '200 with an ID token for another audience',
      () => tokenAnswer({ id_token: idToken({ aud: 'someone-else' }) }),
      false,
      true,
    ],
  ]

  it.each(outcomes)('%s', async (_what, answer, transient, revocation) => {
    const error = await refusedRefresh(answer)
    expect([isTransient(error), isRevocation(error)]).toEqual([transient, revocation])
  })
})

describe('an error from a token answer', () => {
  /** Every string reachable from `value` through own properties, `cause` included. */
  function reachableStrings(value: unknown, seen = new Set<unknown>()): string[] {
    if (typeof value === 'string') return [value]
    if (value instanceof URLSearchParams) return [value.toString()]
    if (typeof value !== 'object' || value === null || seen.has(value)) return []
    seen.add(value)
    return Object.getOwnPropertyNames(value).flatMap((name) =>
      reachableStrings((value as Record<string, unknown>)[name], seen),
    )
  }

  /** As an app gets it: the library's AuthError, the whole cause chain below it. */
  const refusedAsAuthError = async (answer: () => Response) =>
    toAuthError(await refusedRefresh(answer))

  it('keeps no token it carried, for an app that logs errors or sends them to a tracker', async () => {
    // Refused for its token type after the server rotated: the new refresh token is live.
    const error = await refusedAsAuthError(() =>
      json({ access_token: 'at-live', refresh_token: 'rt-live', token_type: 'mac' }),
    )
    const strings = reachableStrings(error)
    expect(strings.some((text) => text.includes('mac'))).toBe(true)
    expect(strings.filter((text) => /at-live|rt-live/.test(text))).toEqual([])
  })

  it('keeps no encrypted ID token it cannot decrypt (JWE, five parts)', async () => {
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn'
    const error = await refusedAsAuthError(() => tokenAnswer({ id_token: jwe }))
    expect(reachableStrings(error).filter((text) => text.includes('Y2lwaGVy'))).toEqual([])
  })

  it("leaves causes that are not the answer's JSON as they are: a challenge list stays a list", async () => {
    const error = await refusedAsAuthError(
      () =>
        new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="tokens"' },
        }),
    )
    // AuthError → AppError → oauth4webapi's WWWAuthenticateChallengeError → its challenges.
    const causes: unknown[] = []
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) causes.push(cause)
    expect(causes.at(-1)).toBeInstanceOf(oauth.WWWAuthenticateChallengeError)
    expect(Array.isArray((causes.at(-1) as Error).cause)).toBe(true)
  })

  it('keeps no ID token it could not read (oauth4webapi keeps the compact token)', async () => {
    const unreadable = `${b64({ alg: 'RS256' })}.${b64(['not', 'claims'])}.c2ln`
    const error = await refusedAsAuthError(() => tokenAnswer({ id_token: unreadable }))
    expect(error.code).toBe('id_token_invalid')
    expect(reachableStrings(error).filter((text) => text.includes(unreadable))).toEqual([])
  })
})

describe("a provider's error answer", () => {
  const refused = (body: Record<string, unknown>) => refusedRefresh(() => json(body, 400))

  it("keeps Entra's error_codes and an https error_uri", async () => {
    const error = await refused({
      error: 'invalid_request',
      error_description: 'AADSTS9002326: Cross-origin token redemption is permitted only for SPA.',
      error_codes: [9002326],
      error_uri: 'https://login.microsoftonline.com/error?code=9002326',
    })
    expect(error.detail).toEqual({
      providerCodes: [9002326],
      errorUri: 'https://login.microsoftonline.com/error?code=9002326',
    })
  })

  it("keeps a rate limit's Retry-After, in seconds, from a JSON or a bare answer", async () => {
    const waits = async (answer: () => Response) =>
      (await refusedRefresh(answer)).detail?.retryAfterMs
    const limit = { 'retry-after': '30' }
    expect(await waits(() => json({ error: 'too_many_requests' }, 429, limit))).toBe(30_000)
    expect(await waits(() => text('slow down', 429, 'text/plain'))).toBeUndefined()
    expect(
      await waits(
        () =>
          new Response('slow down', {
            status: 429,
            headers: { ...limit, 'content-type': 'text/plain' },
          }),
      ),
    ).toBe(30_000)
    // An hour is asked again after five minutes; a date is not read.
    expect(await waits(() => json({ error: 'x' }, 429, { 'retry-after': '3600' }))).toBe(300_000)
    expect(
      await waits(() =>
        json({ error: 'x' }, 429, { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }),
      ),
    ).toBeUndefined()
  })

  it('drops an error_uri that is not https, and codes that are not numbers', async () => {
    const error = await refused({
      error: 'invalid_request',
      error_codes: ['x'],
      error_uri: 'javascript:alert(1)',
    })
    expect(error.detail).toBeUndefined()
  })
})
