// A provider set up badly for a browser app, for the provider audit: it publishes metadata and a
// JWKS only (nobody logs in here). Under `/bad` its metadata advertises the implicit and password
// grants, PKCE "plain" without S256, secret-based client authentication only, no RFC 9207 iss, no
// DPoP and no PAR; its JWKS holds a 1024-bit RSA key; neither its JWKS nor its userinfo endpoint
// sends CORS headers (switch `settings.jwksCors` to let the page read the keys). Under
// `/mismatch` its metadata names another issuer than the one it is fetched for. Plain JavaScript
// so that it runs on Node 20 without a build step.
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'

/**
 * Starts the server on `host:port` (0 picks a free port).
 * @param {{ port?: number, host?: string }} [options]
 */
export async function startMisconfiguredProvider(options = {}) {
  const host = options.host ?? 'localhost'
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const weakKey = {
    ...publicKey.export({ format: 'jwk' }),
    alg: 'RS256',
    use: 'sig',
    kid: 'weak-1024',
  }
  /** What a test may switch; reset() restores it. */
  const settings = { jwksCors: false }
  /** Every request, as `METHOD /path`. @type {string[]} */
  const requests = []
  let base = ''

  /** @param {string} issuer @param {string} prefix */
  const metadata = (issuer, prefix) => ({
    issuer,
    authorization_endpoint: `${base}${prefix}/auth`,
    token_endpoint: `${base}${prefix}/token`,
    userinfo_endpoint: `${base}${prefix}/userinfo`,
    jwks_uri: `${base}${prefix}/jwks`,
    response_types_supported: ['code', 'token', 'id_token token'],
    grant_types_supported: ['authorization_code', 'implicit', 'password', 'refresh_token'],
    code_challenge_methods_supported: ['plain'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ['openid', 'profile'],
    id_token_signing_alg_values_supported: ['RS256'],
  })

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    requests.push(`${req.method ?? 'GET'} ${url.pathname}`)
    // Discovery is readable from any page, or nothing could be audited at all.
    const open = req.headers.origin ? { 'access-control-allow-origin': req.headers.origin } : {}
    /** @param {number} status @param {unknown} body @param {Record<string, string>} headers */
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /bad/.well-known/openid-configuration':
        send(200, metadata(`${base}/bad`, '/bad'), open)
        return
      case 'GET /mismatch/.well-known/openid-configuration':
        send(200, metadata(`${base}/elsewhere`, '/mismatch'), open)
        return
      case 'GET /bad/jwks':
        send(200, { keys: [weakKey] }, settings.jwksCors ? open : {})
        return
      case 'GET /bad/userinfo':
        send(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer' })
        return
      default:
        send(404, { error: 'not_found' })
    }
  })
  await new Promise((resolve) =>
    server.listen(options.port ?? 0, host === 'localhost' ? '127.0.0.1' : host, () =>
      resolve(undefined),
    ),
  )
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  base = `http://${host}:${String(address.port)}`
  return {
    base,
    settings,
    requests,
    reset() {
      settings.jwksCors = false
      requests.length = 0
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

/**
 * The profiles that point PKCE Console at it: `misconfigured` (every bad setting) and
 * `mismatch` (an issuer its metadata does not name).
 * @param {string} base
 */
export function misconfiguredProfiles(base) {
  const common = { discovery: true, client_id: 'pkce-console', scope: 'openid profile' }
  return [
    { id: 'misconfigured', name: 'Misconfigured provider', issuer: `${base}/bad`, ...common },
    { id: 'mismatch', name: 'Mismatched issuer', issuer: `${base}/mismatch`, ...common },
  ]
}
