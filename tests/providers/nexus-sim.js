// A Nexus Mods simulator written from the Nexus Mods OAuth guide (/work/shared/seeds/000_…) and
// what public clients show of the service (a Doorkeeper deployment: `created_at` in token answers,
// JWKS at /oauth/discovery/keys). One server plays users.nexusmods.com and api.nexusmods.com.
import { generateKeyPairSync, randomUUID, sign as rsaSign } from 'node:crypto'
import { decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose'
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

/** The public (PKCE) test client, and a private one with a secret ("private apps"). */
export const NEXUS_CLIENT_ID = 'pkce-console-nexus'
export const NEXUS_PRIVATE_CLIENT_ID = 'pkce-console-nexus-private'
export const NEXUS_PRIVATE_SECRET = 'nexus-private-secret'
/** The `iss` of Nexus Mods access tokens: not a URL, and not the discovery issuer. */
export const NEXUS_TOKEN_ISSUER = 'nexus-user-service'

/** The guide's sample user, as the access token's `user` claim carries it. */
const USER = {
  id: 12345,
  username: 'TestAccount',
  group_id: 1,
  joined: 1419531134,
  membership_roles: ['member', 'supporter', 'premium', 'lifetimepremium'],
  other_group_ids: '',
  permissions: {},
  premium_expiry: 0,
}
const SCOPES = new Set(['public', 'openid', 'profile', 'email'])
const CODE_TTL_S = 600
const KID = 'nexus-sim-rs256'
/** The guide prints a 1024-bit RSA public key to verify access tokens with; it is not in the JWKS. */
export const NEXUS_GUIDE_KID = 'nexus-guide-1024'
/** A key the JWKS does not list (real Nexus clients report access tokens signed by one). */
export const NEXUS_UNLISTED_KID = 'nexus-unlisted'

/**
 * Starts the Nexus Mods simulator on a free port (or `port`).
 * @param {{ redirectUris: string[], port?: number, host?: string, accessTokenTTL?: number }} options
 */
export async function startNexusSim(options) {
  const allowedOrigins = new Set(options.redirectUris.map((uri) => new URL(uri).origin))
  /** @type {Record<string, { application_id: number, secret?: string }>} */
  const clients = {
    [NEXUS_CLIENT_ID]: { application_id: 100 },
    [NEXUS_PRIVATE_CLIENT_ID]: { application_id: 101, secret: NEXUS_PRIVATE_SECRET },
  }
  const { faults, settings, now, handle } = simState(options.accessTokenTTL ?? 6 * 3600, {
    /** Which key signs access tokens: the JWKS key, the guide's 1024-bit key, or an unlisted one. */
    accessTokenKey: /** @type {'jwks' | 'guide-1024' | 'unlisted'} */ ('jwks'),
  })

  /** @type {Map<string, { client_id: string, redirect_uri: string, scope: string, challenge?: string, method?: string, nonce?: string, created: number, used: boolean }>} */
  const codes = new Map()
  /** @type {Map<string, { client_id: string, scope: string, active: boolean }>} */
  const refreshTokens = new Map()
  /** jti of revoked access tokens. */
  const revoked = new Set()

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
  // jose refuses RSA keys under 2048 bits, so the guide's key signs through node:crypto.
  const guideKey = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const guidePem = String(guideKey.publicKey.export({ type: 'spki', format: 'pem' }))
  const unlisted = await generateKeyPair('RS256')
  const b64url = (/** @type {unknown} */ value) =>
    Buffer.from(JSON.stringify(value)).toString('base64url')
  /** Signs access-token claims with the key `settings.accessTokenKey` names. */
  const signAccessToken = async (/** @type {Record<string, unknown>} */ claims) => {
    if (settings.accessTokenKey === 'guide-1024') {
      const input = `${b64url({ alg: 'RS256', kid: NEXUS_GUIDE_KID, typ: 'JWT' })}.${b64url(claims)}`
      const signature = rsaSign('sha256', Buffer.from(input), guideKey.privateKey)
      return `${input}.${signature.toString('base64url')}`
    }
    const unlistedKey = settings.accessTokenKey === 'unlisted'
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: unlistedKey ? NEXUS_UNLISTED_KID : KID, typ: 'JWT' })
      .sign(unlistedKey ? unlisted.privateKey : privateKey)
  }

  const sim = await startSimServer({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    allowedOrigins: () => allowedOrigins,
    refuseCors: () => faults.refuseCors,
    routes: (base) => {
      /** Issues tokens: an RS256 JWT access token with the guide's claims, no `aud`. */
      const issue = async (
        /** @type {string} */ clientId,
        /** @type {string} */ scope,
        /** @type {string | undefined} */ nonce,
      ) => {
        const issuedAt = Math.floor(now() / 1000)
        const ttl = settings.accessTokenTTL
        const client = clients[clientId]
        const accessToken = await signAccessToken({
          application_id: client?.application_id,
          sub: String(USER.id),
          user: USER,
          iss: NEXUS_TOKEN_ISSUER,
          jti: randomUUID(),
          iat: issuedAt,
          exp: issuedAt + ttl,
        })
        const refreshToken = randomToken()
        refreshTokens.set(refreshToken, { client_id: clientId, scope, active: true })
        /** @type {Record<string, unknown>} */
        const answer = {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: ttl,
          refresh_token: refreshToken,
          scope,
          created_at: issuedAt,
        }
        if (scope.split(' ').includes('openid')) {
          answer.id_token = await new SignJWT({
            ...(nonce !== undefined ? { nonce } : {}),
            name: USER.username,
            preferred_username: USER.username,
          })
            .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
            .setIssuer(base)
            .setSubject(String(USER.id))
            .setAudience(clientId)
            .setIssuedAt(issuedAt)
            .setExpirationTime(issuedAt + ttl)
            .sign(privateKey)
        }
        return answer
      }

      /** The verified access token's claims, or undefined after answering 401. */
      const authenticate = async (
        /** @type {{ authorization?: string }} */ request,
        /** @type {import('node:http').ServerResponse} */ res,
      ) => {
        const token = bearerToken(request.authorization)
        if (token === undefined) return bearerRefused(res, 'no bearer token')
        try {
          const { payload } = await jwtVerify(token, publicKey, {
            issuer: NEXUS_TOKEN_ISSUER,
            currentDate: new Date(now()),
          })
          if (revoked.has(payload.jti)) return bearerRefused(res, 'the token was revoked')
          return payload
        } catch (error) {
          return bearerRefused(res, `the token is not valid: ${String(error)}`)
        }
      }

      return {
        'GET /.well-known/openid-configuration': (_request, res) =>
          sendJson(res, 200, {
            issuer: base,
            authorization_endpoint: `${base}/oauth/authorize`,
            token_endpoint: `${base}/oauth/token`,
            revocation_endpoint: `${base}/oauth/revoke`,
            introspection_endpoint: `${base}/oauth/introspect`,
            userinfo_endpoint: `${base}/oauth/userinfo`,
            jwks_uri: `${base}/oauth/discovery/keys`,
            scopes_supported: [...SCOPES],
            response_types_supported: ['code'],
            response_modes_supported: ['query', 'fragment'],
            grant_types_supported: ['authorization_code', 'refresh_token'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['plain', 'S256'],
          }),

        'GET /oauth/discovery/keys': (_request, res) => sendJson(res, 200, { keys: [jwk] }),

        'GET /oauth/authorize': (request, res) => {
          // RFC 6749 §4.1.2.1: never redirect to an unverified redirect URI.
          const checked = checkAuthorizationRequest(request, res, {
            clients,
            redirectUris: options.redirectUris,
            scopes: SCOPES,
          })
          if (checked === undefined) return
          const { q, client, reply } = checked
          const scope = q.scope ?? ''
          if (client.secret === undefined && q.code_challenge === undefined)
            return reply({
              error: 'invalid_request',
              error_description: 'code_challenge is required for public clients',
            })
          const method =
            q.code_challenge === undefined ? undefined : (q.code_challenge_method ?? 'plain')
          if (method !== undefined && method !== 'S256' && method !== 'plain')
            return reply({
              error: 'invalid_request',
              error_description: 'unknown code_challenge_method',
            })
          if (faults.denyAuthorization)
            return reply({
              error: 'access_denied',
              error_description: 'The resource owner or authorization server denied the request.',
            })
          const code = randomToken()
          codes.set(code, {
            client_id: q.client_id ?? '',
            redirect_uri: checked.redirectUri,
            scope,
            ...(q.code_challenge !== undefined ? { challenge: q.code_challenge } : {}),
            ...(method !== undefined ? { method } : {}),
            ...(q.nonce !== undefined ? { nonce: q.nonce } : {}),
            created: now(),
            used: false,
          })
          return reply({ code })
        },

        // One endpoint for both grants, form-encoded only (the guide's table and sample code).
        'POST /oauth/token': async (request, res) => {
          if (!isForm(request))
            return oauthError(
              res,
              'invalid_request',
              'the body must be application/x-www-form-urlencoded',
            )
          const form = request.form ?? {}
          const client = form.client_id === undefined ? undefined : clients[form.client_id]
          if (client === undefined)
            return oauthError(res, 'invalid_client', 'unknown client_id', 401)
          if (form.client_secret !== client.secret)
            return oauthError(
              res,
              'invalid_client',
              client.secret === undefined
                ? 'a public client has no client_secret'
                : 'client_secret is missing or wrong',
              401,
            )
          if (form.grant_type === 'authorization_code') {
            if (form.scope === undefined)
              return oauthError(res, 'invalid_request', 'scope is required (empty for no scopes)')
            const grant = form.code === undefined ? undefined : codes.get(form.code)
            if (grant === undefined) return oauthError(res, 'invalid_grant', 'unknown code')
            if (grant.used) return oauthError(res, 'invalid_grant', 'the code was already used')
            grant.used = true
            if (grant.client_id !== form.client_id)
              return oauthError(res, 'invalid_grant', 'the code was issued to another client')
            if (grant.redirect_uri !== form.redirect_uri)
              return oauthError(
                res,
                'invalid_grant',
                'redirect_uri does not match the authorization request',
              )
            if (now() - grant.created > CODE_TTL_S * 1000)
              return oauthError(res, 'invalid_grant', 'the code has expired')
            if (grant.challenge !== undefined) {
              const verifier = form.code_verifier
              if (verifier === undefined)
                return oauthError(res, 'invalid_grant', 'code_verifier is required')
              const computed = grant.method === 'S256' ? s256(verifier) : verifier
              if (computed !== grant.challenge)
                return oauthError(
                  res,
                  'invalid_grant',
                  'code_verifier does not match the code_challenge',
                )
            }
            return sendJson(res, 200, await issue(grant.client_id, grant.scope, grant.nonce))
          }
          if (form.grant_type === 'refresh_token') {
            const entry =
              form.refresh_token === undefined ? undefined : refreshTokens.get(form.refresh_token)
            if (faults.refreshRefused) {
              if (entry !== undefined) entry.active = false
              return oauthError(res, 'invalid_grant', 'The access grant was revoked by the user.')
            }
            if (entry === undefined || !entry.active || entry.client_id !== form.client_id)
              return oauthError(res, 'invalid_grant', 'the refresh token is not valid')
            entry.active = false // rotation: each refresh token works once
            return sendJson(res, 200, await issue(entry.client_id, entry.scope, undefined))
          }
          return oauthError(res, 'unsupported_grant_type', String(form.grant_type))
        },

        // RFC 7009: 200 whatever the token; a known one stops working.
        'POST /oauth/revoke': (request, res) => {
          if (!isForm(request))
            return oauthError(
              res,
              'invalid_request',
              'the body must be application/x-www-form-urlencoded',
            )
          const token = request.form?.token ?? ''
          const entry = refreshTokens.get(token)
          if (entry !== undefined) entry.active = false
          try {
            revoked.add(decodeJwt(token).jti)
          } catch {
            // Not a JWT: a refresh token, or garbage.
          }
          sendJson(res, 200, {})
        },

        'GET /oauth/userinfo': async (request, res) => {
          if ((await authenticate(request, res)) === undefined) return
          sendJson(res, 200, {
            sub: String(USER.id),
            name: USER.username,
            email: 'testaccount@example.test',
            avatar: `${base}/avatars/${String(USER.id)}.png`,
            group_id: USER.group_id,
            membership_roles: USER.membership_roles,
            premium_expiry: USER.premium_expiry,
          })
        },

        'GET /v1/user/tracked_mods.json': async (request, res) => {
          if ((await authenticate(request, res)) === undefined) return
          sendJson(res, 200, [
            { mod_id: 266, domain_name: 'skyrimspecialedition' },
            { mod_id: 3863, domain_name: 'skyrimspecialedition' },
          ])
        },

        'POST /v2/graphql': async (request, res) => {
          if ((await authenticate(request, res)) === undefined) return
          const query = /** @type {{ query?: unknown }} */ (request.json ?? {}).query
          if (typeof query !== 'string' || !query.includes('currentUser'))
            return sendJson(res, 200, { errors: [{ message: 'only currentUser is simulated' }] })
          sendJson(res, 200, { data: { currentUser: { name: USER.username, memberId: USER.id } } })
        },
      }
    },
  })

  return { ...handle(sim), guidePem }
}
