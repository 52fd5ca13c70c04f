// The demo and test authorization server: panva's oidc-provider, configured as a strict,
// realistic provider for a browser-based public client. Plain JavaScript so that `npm start`
// runs it on Node 20 without a build step; Playwright fixtures import it too.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import Provider from 'oidc-provider'

export const DEMO_CLIENT_ID = 'pkce-console'
export const DEMO_RESOURCE = 'urn:pkce-console:demo-api'
export const DEMO_SCOPE = 'openid profile email offline_access api:read'
/** With `dpop: true`: the client registered with `require_pushed_authorization_requests`. */
export const PAR_CLIENT_ID = 'pkce-console-par'

/**
 * What a test can switch to make the provider misbehave, and what it counts.
 * @typedef {{
 *   refuseCors: boolean,
 *   token: undefined | ((ctx: any, next: () => Promise<void>) => Promise<void> | void),
 *   callback: undefined | ((location: URL) => string | void),
 *   api401: number,
 *   revocationStatus: number | undefined,
 *   discovery: undefined | ((metadata: Record<string, unknown>, ctx: any) => void),
 *   apiBody: string | undefined,
 *   apiRedirect: string | undefined,
 * }} Faults
 */

/** @param {string} part */
const decodePart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString())

/**
 * Starts oidc-provider on `host:port` (0 picks a free port). With `dpop`, the provider demands
 * DPoP (RFC 9449) of its client (`dpop_bound_access_tokens`) with server nonces at every endpoint
 * (`nonceSecret`, `requireNonce`), and registers a second client, {@link PAR_CLIENT_ID}, that must
 * push its authorization requests (RFC 9126).
 * @param {{
 *   port?: number, host?: string, redirectUris: string[], postLogoutRedirectUris?: string[],
 *   accessTokenTTL?: number, quiet?: boolean, dpop?: boolean
 * }} options
 */
export async function startOidcProvider(options) {
  const host = options.host ?? 'localhost'
  const server = createServer()
  await new Promise((resolve) =>
    server.listen(options.port ?? 0, host === 'localhost' ? '127.0.0.1' : host, () =>
      resolve(undefined),
    ),
  )
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const issuer = `http://${host}:${String(address.port)}`

  /** @type {Faults} */
  const faults = {
    refuseCors: false,
    token: undefined,
    callback: undefined,
    api401: 0,
    revocationStatus: undefined,
    discovery: undefined,
    apiBody: undefined,
    apiRedirect: undefined,
  }
  const counters = {
    tokenRequests: 0,
    refreshRequests: 0,
    codeExchanges: 0,
    grantsRevoked: 0,
    apiCalls: 0,
    apiRefused: 0,
    revocations: 0,
  }
  /** Switches a test may change; reset() restores them. */
  const defaultSettings = () => ({
    accessTokenTTL: options.accessTokenTTL ?? 3600,
    /** `opaque` issues reference access tokens instead of JWTs (RFC 9068 §6 says either works). */
    accessTokenFormat: /** @type {'jwt' | 'opaque'} */ ('jwt'),
    /** Seconds an authorization code lives (1, with a slow token fault, expires it). */
    authorizationCodeTTL: 60,
  })
  const settings = defaultSettings()
  /** @type {{ route: string, method: string, path: string, origin?: string, referer?: string, authorization?: string, dpop?: string, query?: Record<string, string>, body?: Record<string, string> }[]} */
  const requests = []
  /** @type {string[]} */
  const issuedTokens = []
  /** When each successful refresh happened (ms). @type {number[]} */
  const refreshTimes = []
  /** Bearer tokens the demo API received, in order. @type {string[]} */
  const apiTokens = []

  const allowedOrigins = new Set(options.redirectUris.map((uri) => new URL(uri).origin))
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const signingKey = {
    ...(await exportJWK(privateKey)),
    alg: 'RS256',
    use: 'sig',
    kid: 'demo-rs256',
  }

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_name: 'PKCE Console',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        ...(options.dpop ? { dpop_bound_access_tokens: true } : {}),
      },
      ...(options.dpop
        ? [
            {
              client_id: PAR_CLIENT_ID,
              client_name: 'PKCE Console (PAR)',
              token_endpoint_auth_method: 'none',
              application_type: 'web',
              redirect_uris: options.redirectUris,
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code'],
              require_pushed_authorization_requests: true,
              dpop_bound_access_tokens: true,
            },
          ]
        : []),
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['pkce-console-demo-cookie-key'] },
    scopes: ['openid', 'offline_access', 'api:read'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        name: id,
        preferred_username: id,
        email: `${id}@example.test`,
        email_verified: true,
      }),
    }),
    pkce: { required: () => true },
    // The code flow only, as a provider set up for browser apps offers (RFC 9700 §2.1.2): no
    // response type hands out tokens in the redirect, so no implicit grant is advertised.
    responseTypes: ['code'],
    clientBasedCORS: (_ctx, origin) => !faults.refuseCors && allowedOrigins.has(origin),
    ttl: {
      AccessToken: () => settings.accessTokenTTL,
      AuthorizationCode: () => settings.authorizationCodeTTL,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Grant: 24 * 3600,
      Session: 24 * 3600,
      Interaction: 3600,
    },
    features: {
      devInteractions: { enabled: true },
      ...(options.dpop
        ? {
            dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
            pushedAuthorizationRequests: { enabled: true },
          }
        : {}),
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEMO_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api:read',
          audience: DEMO_RESOURCE,
          accessTokenTTL: settings.accessTokenTTL,
          accessTokenFormat: settings.accessTokenFormat,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    rotateRefreshToken: true,
  })
  provider.proxy = false

  provider.on('grant.revoked', () => {
    counters.grantsRevoked += 1
  })
  for (const event of [
    'access_token.saved',
    'access_token.issued',
    'refresh_token.saved',
    'refresh_token.issued',
  ]) {
    provider.on(event, (token) => {
      const value = token?.jti ?? token?.id
      if (typeof value === 'string') issuedTokens.push(value)
    })
  }
  if (options.quiet) provider.on('server_error', () => {})

  provider.use(async (ctx, next) => {
    const isToken = ctx.path === '/token' && ctx.method === 'POST'
    if (isToken) counters.tokenRequests += 1
    if (ctx.path === '/token/revocation' && ctx.method === 'POST' && faults.revocationStatus) {
      const origin = ctx.get('origin')
      if (origin && allowedOrigins.has(origin)) ctx.set('access-control-allow-origin', origin)
      ctx.status = faults.revocationStatus
      ctx.body = 'revocation is down'
      return
    }
    if (isToken && faults.token) {
      // A fault wraps the real token endpoint like Koa middleware: it may answer alone, call the
      // real endpoint and rewrite its answer, or delay it. Its answers keep the CORS grant.
      const origin = ctx.get('origin')
      await faults.token(ctx, next)
      if (origin && allowedOrigins.has(origin) && !faults.refuseCors)
        ctx.set('access-control-allow-origin', origin)
    } else {
      await next()
    }
    const route = ctx.oidc?.route ?? ''
    if (route === 'discovery' && faults.discovery && ctx.status === 200) {
      const metadata = { ...ctx.body }
      // A fault edits the metadata, or answers otherwise (ctx.redirect: a real provider did).
      faults.discovery(metadata, ctx)
      if (ctx.status === 200) ctx.body = metadata
    }
    requests.push({
      route,
      method: ctx.method,
      path: ctx.path,
      ...(ctx.get('origin') ? { origin: ctx.get('origin') } : {}),
      ...(ctx.get('referer') ? { referer: ctx.get('referer') } : {}),
      ...(ctx.get('authorization') ? { authorization: ctx.get('authorization') } : {}),
      ...(ctx.get('dpop') ? { dpop: ctx.get('dpop') } : {}),
      ...(ctx.querystring
        ? { query: Object.fromEntries(new URLSearchParams(ctx.querystring)) }
        : {}),
      ...(ctx.oidc?.params
        ? {
            body: Object.fromEntries(
              Object.entries(ctx.oidc.params).filter(([, v]) => typeof v === 'string'),
            ),
          }
        : {}),
    })
    if (route === 'token' && ctx.status === 200) {
      const grant = ctx.oidc?.params?.grant_type
      if (grant === 'refresh_token') {
        counters.refreshRequests += 1
        refreshTimes.push(Date.now())
      }
      if (grant === 'authorization_code') counters.codeExchanges += 1
    }
    if (route === 'revocation') counters.revocations += 1
    if (
      (route === 'authorization' || route === 'resume') &&
      faults.callback &&
      ctx.status === 303
    ) {
      const location = new URL(String(ctx.response.get('location')), issuer)
      // Only the redirect back to the app is a callback; others go to the login pages. The fault
      // edits the URL, or returns another one to send the browser to instead.
      if (location.searchParams.has('code') || location.searchParams.has('error')) {
        ctx.redirect(faults.callback(location) ?? location.href)
      }
    }
    // The dev login pages import a web font; this closed network would stall on it.
    if (typeof ctx.body === 'string' && ctx.type === 'text/html') {
      ctx.body = ctx.body.replace(/@import url\([^)]*\);/g, '')
    }
  })

  const oidc = provider.callback()
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/api/')) void demoApi(req, res)
    else oidc(req, res)
  })

  /**
   * A small resource server: `GET /api/me` answers who the bearer of a valid JWT access token is;
   * otherwise 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1).
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function demoApi(req, res) {
    const origin = req.headers.origin
    const cors =
      origin && allowedOrigins.has(origin) && !faults.refuseCors
        ? {
            'access-control-allow-origin': origin,
            'access-control-expose-headers': 'www-authenticate',
          }
        : {}
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-max-age': '600',
      })
      res.end()
      return
    }
    counters.apiCalls += 1
    requests.push({
      route: 'api',
      method: req.method ?? 'GET',
      path: req.url ?? '',
      ...(origin ? { origin } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    })
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    apiTokens.push(token ?? '')
    // A redirect elsewhere (faults.apiRedirect): the app must show it, not follow it.
    if (faults.apiRedirect !== undefined) {
      res.writeHead(302, { ...cors, location: faults.apiRedirect })
      res.end()
      return
    }
    try {
      if (token === undefined) throw new Error('no token')
      if (faults.api401 > 0) {
        faults.api401 -= 1
        throw new Error('refused on purpose')
      }
      const { payload } = await jwtVerify(token, publicKey, { issuer, audience: DEMO_RESOURCE })
      res.writeHead(200, { ...cors, 'content-type': 'application/json' })
      if (faults.apiBody !== undefined) {
        res.end(faults.apiBody)
        return
      }
      res.end(
        JSON.stringify({
          sub: payload.sub,
          scope: payload.scope,
          path: req.url,
          client_id: payload.client_id,
        }),
      )
    } catch {
      counters.apiRefused += 1
      res.writeHead(401, {
        ...cors,
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-type': 'application/json',
      })
      res.end(JSON.stringify({ error: 'invalid_token' }))
    }
  }
  /**
   * Signs a JWT with the provider's own key (RS256, kid `demo-rs256` unless the header says
   * otherwise): what a tampering test re-signs an edited ID token with.
   * @param {Record<string, unknown>} header
   * @param {Record<string, unknown>} claims
   */
  const signJwt = (header, claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'demo-rs256', ...header })
      .sign(privateKey)

  /**
   * A token fault: the real endpoint answers, then its ID token is decoded, handed to `edit` (which
   * changes the header and claims in place) and re-signed with `sign` (default: the provider's key,
   * so only what `edit` changed is wrong).
   * @param {(claims: Record<string, any>, header: Record<string, any>) => void} edit
   * @param {(header: Record<string, any>, claims: Record<string, any>) => Promise<string>} [sign]
   * @returns {(ctx: any, next: () => Promise<void>) => Promise<void>}
   */
  const tamperIdToken =
    (edit, sign = signJwt) =>
    async (ctx, next) => {
      await next()
      const body = ctx.body
      if (ctx.status !== 200 || typeof body?.id_token !== 'string') return
      const [header, claims] = body.id_token.split('.').slice(0, 2).map(decodePart)
      edit(claims, header)
      ctx.body = { ...body, id_token: await sign(header, claims) }
    }

  return {
    issuer,
    provider,
    signJwt,
    tamperIdToken,
    faults,
    counters,
    requests,
    issuedTokens,
    apiTokens,
    refreshTimes,
    settings,
    reset() {
      faults.refuseCors = false
      faults.token = undefined
      faults.callback = undefined
      faults.api401 = 0
      faults.revocationStatus = undefined
      faults.discovery = undefined
      faults.apiBody = undefined
      faults.apiRedirect = undefined
      Object.assign(settings, defaultSettings())
      requests.length = 0
      apiTokens.length = 0
      refreshTimes.length = 0
      for (const key of Object.keys(counters))
        counters[/** @type {keyof typeof counters} */ (key)] = 0
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

/** The profile that points PKCE Console at a provider started by {@link startOidcProvider}. */
export function demoProfile(/** @type {string} */ issuer, id = 'demo') {
  return {
    id,
    name: 'Demo provider (oidc-provider)',
    issuer,
    discovery: true,
    client_id: DEMO_CLIENT_ID,
    scope: DEMO_SCOPE,
    authorization_params: { prompt: 'consent' },
    requests: [{ name: 'Who am I', method: 'GET', url: `${issuer}/api/me` }],
  }
}
