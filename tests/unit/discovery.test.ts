import { describe, expect, it } from 'vitest'
import { discover } from '../../src/oauth/discovery'
import { json, scriptedFetch } from './fake-fetch'

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
    await expect(discover(issuer, server.fetch)).rejects.toHaveProperty('code', 'issuer_mismatch')
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
})
