// A MyNickname simulator written from its OAuth docs (/work/shared/seeds/003_…): the
// authorization code flow with a client secret and with PKCE, refresh at its own endpoint, and
// the two nickname resources. Opaque access tokens.
import {
  bearerRefused,
  bearerToken,
  isForm,
  oauthError,
  randomToken,
  s256,
  sendJson,
  startSimServer,
  simState,
  checkAuthorizationRequest,
} from './sim-common.js'

/** The PKCE client (no secret) and the secret-based one. */
export const MYNICKNAME_CLIENT_ID = 'pkce-console-mynickname'
export const MYNICKNAME_SECRET_CLIENT_ID = 'pkce-console-mynickname-secret'
export const MYNICKNAME_SECRET = 'mynickname-client-secret'

const NICKNAMES = [
  { id: 1, nickname: 'NightOwl', main: true },
  { id: 2, nickname: 'Owlette', main: false },
]
const SCOPES = new Set(['basic', 'email'])
const CODE_TTL_S = 600

/**
 * Starts the MyNickname simulator on a free port (or `port`).
 * @param {{ redirectUris: string[], port?: number, host?: string, accessTokenTTL?: number }} options
 */
export async function startMyNicknameSim(options) {
  const allowedOrigins = new Set(options.redirectUris.map((uri) => new URL(uri).origin))
  /** @type {Record<string, { secret?: string }>} */
  const clients = {
    [MYNICKNAME_CLIENT_ID]: {},
    [MYNICKNAME_SECRET_CLIENT_ID]: { secret: MYNICKNAME_SECRET },
  }
  const { faults, settings, now, handle } = simState(options.accessTokenTTL ?? 3600)

  /** @type {Map<string, { client_id: string, redirect_uri: string, scope: string, challenge?: string, created: number, used: boolean }>} */
  const codes = new Map()
  /** @type {Map<string, { client_id: string, scope: string, expires: number }>} */
  const accessTokens = new Map()
  /** @type {Map<string, { client_id: string, scope: string, active: boolean }>} */
  const refreshTokens = new Map()

  /** Issues an opaque access token and a rotating refresh token (the docs' answer fields). */
  const issue = (/** @type {string} */ clientId, /** @type {string} */ scope) => {
    const ttl = settings.accessTokenTTL
    const accessToken = randomToken()
    const refreshToken = randomToken()
    accessTokens.set(accessToken, { client_id: clientId, scope, expires: now() + ttl * 1000 })
    refreshTokens.set(refreshToken, { client_id: clientId, scope, active: true })
    return {
      token_type: 'Bearer',
      expires_in: ttl,
      access_token: accessToken,
      refresh_token: refreshToken,
    }
  }

  /**
   * Client authentication at the token endpoints: the secret-based client must send its
   * `client_secret`; the PKCE client has none, and a wrong one is refused.
   */
  const clientOf = (
    /** @type {Record<string, string>} */ form,
    /** @type {import('node:http').ServerResponse} */ res,
  ) => {
    const client = form.client_id === undefined ? undefined : clients[form.client_id]
    if (client === undefined) return oauthError(res, 'invalid_client', 'unknown client_id', 401)
    if (form.client_secret !== client.secret)
      return oauthError(res, 'invalid_client', 'client_secret is missing or wrong', 401)
    return client
  }

  /** The access token's record, or undefined after answering 401 (RFC 6750 §3.1). */
  const authenticate = (
    /** @type {{ authorization?: string }} */ request,
    /** @type {import('node:http').ServerResponse} */ res,
  ) => {
    const token = bearerToken(request.authorization)
    const entry = token === undefined ? undefined : accessTokens.get(token)
    if (entry === undefined) return bearerRefused(res, 'unknown access token')
    if (entry.expires <= now()) return bearerRefused(res, 'the access token has expired')
    return entry
  }

  const sim = await startSimServer({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    allowedOrigins: () => allowedOrigins,
    refuseCors: () => faults.refuseCors,
    routes: () => ({
      'GET /oauth/authenticate': (request, res) => {
        const checked = checkAuthorizationRequest(request, res, {
          clients,
          redirectUris: options.redirectUris,
          scopes: SCOPES,
        })
        if (checked === undefined) return
        const { q, client, reply } = checked
        if (client.secret === undefined && q.code_challenge === undefined)
          return reply({
            error: 'invalid_request',
            error_description: 'code_challenge is required',
          })
        // The docs define the challenge as SHA-256, URL-safe base64, and name no method: absent
        // means S256 here; an explicit method other than S256 is refused.
        if (q.code_challenge_method !== undefined && q.code_challenge_method !== 'S256')
          return reply({ error: 'invalid_request', error_description: 'only S256 is supported' })
        if (faults.denyAuthorization)
          return reply({ error: 'access_denied', error_description: 'The user denied access.' })
        const code = randomToken()
        codes.set(code, {
          client_id: q.client_id ?? '',
          redirect_uri: checked.redirectUri,
          scope: q.scope ?? '',
          ...(q.code_challenge !== undefined ? { challenge: q.code_challenge } : {}),
          created: now(),
          used: false,
        })
        return reply({ code })
      },

      'POST /oauth/access_token': (request, res) => {
        if (!isForm(request))
          return oauthError(
            res,
            'invalid_request',
            'the body must be application/x-www-form-urlencoded',
          )
        const form = request.form ?? {}
        if (form.grant_type !== 'authorization_code')
          return oauthError(
            res,
            'unsupported_grant_type',
            form.grant_type === 'refresh_token'
              ? 'refresh tokens are exchanged at /oauth/refresh_token'
              : 'authorization_code only',
          )
        if (clientOf(form, res) === undefined) return
        const grant = form.code === undefined ? undefined : codes.get(form.code)
        if (grant === undefined) return oauthError(res, 'invalid_grant', 'unknown code')
        if (grant.used) return oauthError(res, 'invalid_grant', 'the code was already used')
        grant.used = true
        if (grant.client_id !== form.client_id)
          return oauthError(res, 'invalid_grant', 'the code was issued to another client')
        if (grant.redirect_uri !== form.redirect_uri)
          return oauthError(res, 'invalid_grant', 'redirect_uri does not match')
        if (now() - grant.created > CODE_TTL_S * 1000)
          return oauthError(res, 'invalid_grant', 'the code has expired')
        if (grant.challenge !== undefined) {
          if (form.code_verifier === undefined)
            return oauthError(res, 'invalid_grant', 'code_verifier is required')
          if (s256(form.code_verifier) !== grant.challenge)
            return oauthError(
              res,
              'invalid_grant',
              'code_verifier does not match the code_challenge',
            )
        }
        return sendJson(res, 200, issue(grant.client_id, grant.scope))
      },

      // The only place a refresh works (the docs' "Refresh Token" section).
      'POST /oauth/refresh_token': (request, res) => {
        if (!isForm(request))
          return oauthError(
            res,
            'invalid_request',
            'the body must be application/x-www-form-urlencoded',
          )
        const form = request.form ?? {}
        if (form.grant_type !== 'refresh_token')
          return oauthError(res, 'unsupported_grant_type', 'refresh_token only')
        if (clientOf(form, res) === undefined) return
        const entry =
          form.refresh_token === undefined ? undefined : refreshTokens.get(form.refresh_token)
        if (faults.refreshRefused) {
          if (entry !== undefined) entry.active = false
          return oauthError(res, 'invalid_grant', 'The refresh token was revoked.')
        }
        if (entry === undefined || !entry.active || entry.client_id !== form.client_id)
          return oauthError(res, 'invalid_grant', 'the refresh token is not valid')
        entry.active = false
        return sendJson(res, 200, issue(entry.client_id, entry.scope))
      },

      'GET /v1/nickname': (request, res) => {
        if (authenticate(request, res) === undefined) return
        sendJson(res, 200, { data: NICKNAMES[0] })
      },

      'GET /v1/nicknames': (request, res) => {
        if (authenticate(request, res) === undefined) return
        sendJson(res, 200, { data: NICKNAMES })
      },
    }),
  })

  return handle(sim)
}
