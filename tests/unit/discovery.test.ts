import { describe, expect, it } from 'vitest'
import { discover } from '../../src/core/protocol/discovery'
import type { AppError } from '../../src/core/protocol/errors'
import { hintFor } from '../../src/console/alerts'
import { json, opaqueRedirect, scriptedFetch } from './fake-fetch'

/** The page the console runs on, for the hints that name it. */
const context = { origin: 'https://app.test' }

const issuer = 'https://id.acme.test'
const metadata = {
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
}

describe('discover', () => {
  it('returns the OIDC metadata of the issuer', async () => {
    const server = scriptedFetch([
      {
        method: 'GET',
        url: `${issuer}/.well-known/openid-configuration`,
        answer: () => json(metadata),
      },
    ])
    expect((await discover(issuer, server.fetch)).token_endpoint).toBe(`${issuer}/token`)
    server.done()
  })

  it('falls back to RFC 8414 when there is no OIDC document', async () => {
    const server = scriptedFetch([
      {
        method: 'GET',
        url: `${issuer}/.well-known/openid-configuration`,
        answer: () => json({}, 404),
      },
      {
        method: 'GET',
        url: `${issuer}/.well-known/oauth-authorization-server`,
        answer: () => json(metadata),
      },
    ])
    expect((await discover(issuer, server.fetch)).issuer).toBe(issuer)
    server.done()
  })

  it('refuses metadata naming another issuer (RFC 8414 §3.3)', async () => {
    const server = scriptedFetch([
      {
        method: 'GET',
        url: `${issuer}/.well-known/openid-configuration`,
        answer: () => json({ ...metadata, issuer: 'https://evil.test' }),
      },
    ])
    await expect(discover(issuer, server.fetch)).rejects.toMatchObject({
      code: 'issuer_mismatch',
      // Named, so the user can see a trailing slash or a template for what it is.
      message: expect.stringContaining('"https://evil.test"') as string,
      detail: { url: 'https://evil.test' },
    })
  })

  it.each(['javascript:alert(1)', 'http://evil.test/logout', 'data:text/html,x'])(
    'refuses metadata with the endpoint %s',
    async (endpoint) => {
      const server = scriptedFetch([
        {
          method: 'GET',
          url: `${issuer}/.well-known/openid-configuration`,
          answer: () => json({ ...metadata, end_session_endpoint: endpoint }),
        },
      ])
      const error = await discover(issuer, server.fetch).catch((e: unknown) => e)
      expect(error).toHaveProperty('code', 'discovery_failed')
      expect((error as Error).message).toContain('"end_session_endpoint"')
    },
  )

  const oidcUrl = `${issuer}/.well-known/openid-configuration`
  const oauthUrl = `${issuer}/.well-known/oauth-authorization-server`

  it('names every attempt: a redirect at the OIDC URL, then no answer at the RFC 8414 one', async () => {
    const server = scriptedFetch([
      { method: 'GET', url: oidcUrl, answer: opaqueRedirect },
      {
        method: 'GET',
        url: oauthUrl,
        answer: () => {
          throw new TypeError('Failed to fetch')
        },
      },
    ])
    const error = await discover(issuer, server.fetch).catch((e: unknown) => e)
    expect(error).toHaveProperty('code', 'discovery_failed')
    expect((error as AppError).message).toBe(
      `Discovery at ${issuer} failed: ${oidcUrl} answered with a redirect (the browser does not let the app see where to), which discovery does not follow; ${oauthUrl} got no answer the app may read (the network is down, or the provider does not allow requests from this app's origin: CORS). The provider must serve discovery at exactly ${oidcUrl}, without a redirect.`,
    )
    expect(hintFor(error as AppError, context)).toBe(
      'Ask the provider to serve its metadata there, check the Issuer, or give the endpoints by hand.',
    )
    server.done()
  })

  it("names a readable redirect's Location and a 404", async () => {
    const server = scriptedFetch([
      {
        method: 'GET',
        url: oidcUrl,
        answer: () => new Response(null, { status: 301, headers: { location: `${oidcUrl}/` } }),
      },
      { method: 'GET', url: oauthUrl, answer: () => json({}, 404) },
    ])
    const error = (await discover(issuer, server.fetch).catch((e: unknown) => e)) as AppError
    expect(error.code).toBe('discovery_failed')
    expect(error.message).toContain(`${oidcUrl} answered with a redirect to ${oidcUrl}/,`)
    expect(error.message).toContain(`${oauthUrl} answered HTTP 404.`)
  })

  it('says cors_blocked only when no attempt got an answer, and says what to check', async () => {
    const down = () => {
      throw new TypeError('Failed to fetch')
    }
    const server = scriptedFetch([
      { method: 'GET', url: oidcUrl, answer: down },
      { method: 'GET', url: oauthUrl, answer: down },
    ])
    const error = (await discover(issuer, server.fetch).catch((e: unknown) => e)) as AppError
    expect(error.code).toBe('cors_blocked')
    expect(error.message).toContain(`${oidcUrl} got no answer`)
    expect(hintFor(error, context)).toContain('allow the origin https://app.test')
  })

  it('says a 404 at both URLs, with the exact URL to check', async () => {
    const server = scriptedFetch([
      { method: 'GET', url: oidcUrl, answer: () => json({}, 404) },
      { method: 'GET', url: oauthUrl, answer: () => json({}, 404) },
    ])
    const error = (await discover(issuer, server.fetch).catch((e: unknown) => e)) as AppError
    expect(error.code).toBe('discovery_failed')
    expect(error.message).toBe(
      `Discovery at ${issuer} failed: ${oidcUrl} answered HTTP 404; ${oauthUrl} answered HTTP 404.`,
    )
    expect(hintFor(error, context)).toContain(`exactly ${oidcUrl}`)
  })

  it('says timeout when an attempt timed out and none answered', async () => {
    const server = scriptedFetch([
      {
        method: 'GET',
        url: oidcUrl,
        answer: () => {
          throw new DOMException('no answer within 15 s', 'TimeoutError')
        },
      },
      {
        method: 'GET',
        url: oauthUrl,
        answer: () => {
          throw new TypeError('Failed to fetch')
        },
      },
    ])
    const error = (await discover(issuer, server.fetch).catch((e: unknown) => e)) as AppError
    expect(error.code).toBe('timeout')
    expect(error.message).toContain(`${oidcUrl} got no answer in time`)
  })
})
