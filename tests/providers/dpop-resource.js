// A small resource server that accepts only DPoP-bound access tokens (RFC 9449 §7), checked with
// jose as a strict server would: the access token's signature, issuer and audience; the proof's
// type, signature (with its embedded key), htm, htu, iat window and single-use jti; ath = the
// token's hash; the proof key's thumbprint = the token's `cnf.jkt`. It demands its own nonce
// (§9) once: the first proof without it is answered `use_dpop_nonce`.
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  decodeProtectedHeader,
  EmbeddedJWK,
  jwtVerify,
} from 'jose'

/** Seconds a proof's `iat` may be off this server's clock. */
const IAT_WINDOW = 60

/**
 * Starts the resource server on `127.0.0.1:port` (0 picks a free port). `GET /me` answers who the
 * token's subject is.
 * @param {{ issuer: string, audience: string, allowedOrigins: string[], port?: number }} options
 */
export async function startDpopResource(options) {
  const server = createServer()
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve(0)))
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const url = `http://localhost:${String(address.port)}`
  const keys = createRemoteJWKSet(new URL(`${options.issuer}/jwks`))
  const allowed = new Set(options.allowedOrigins)
  const nonce = randomBytes(16).toString('base64url')
  /** jti values already seen (a replayed proof is refused). @type {Set<string>} */
  const seenJti = new Set()
  /** Every request: what it carried and how it was answered. */
  const log =
    /** @type {{ method: string, path: string, scheme?: string, nonce?: string, ath?: string, jkt?: string, outcome: string }[]} */ ([])

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const origin = req.headers.origin
    const cors =
      origin && allowed.has(origin)
        ? {
            'access-control-allow-origin': origin,
            'access-control-expose-headers': 'www-authenticate, dpop-nonce',
          }
        : {}
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-headers': 'authorization, dpop, content-type',
        'access-control-allow-methods': 'GET, POST',
        'access-control-max-age': '600',
      })
      res.end()
      return
    }
    const path = new URL(req.url ?? '/', url).pathname
    const [scheme, token] = (req.headers.authorization ?? '').split(' ')
    const entry = { method: req.method ?? 'GET', path, scheme, outcome: '' }
    log.push(entry)
    /** @param {number} status @param {Record<string, string>} headers @param {unknown} body */
    const answer = (status, headers, body) => {
      res.writeHead(status, { ...cors, 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    /** @param {string} error @param {string} why */
    const refuse = (error, why) => {
      entry.outcome = `${error}: ${why}`
      answer(
        401,
        {
          'www-authenticate': `DPoP error="${error}", algs="ES256"`,
          ...(error === 'use_dpop_nonce' ? { 'dpop-nonce': nonce } : {}),
        },
        { error, error_description: why },
      )
    }
    if (scheme?.toLowerCase() !== 'dpop' || !token) {
      refuse('invalid_token', `a DPoP-bound token must be sent with the DPoP scheme, not ${scheme}`)
      return
    }
    const proof = req.headers.dpop
    if (typeof proof !== 'string') {
      refuse('invalid_dpop_proof', 'no DPoP header')
      return
    }
    let claims
    try {
      ;({ payload: claims } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
      }))
    } catch (cause) {
      refuse('invalid_token', String(cause))
      return
    }
    try {
      const header = decodeProtectedHeader(proof)
      const { payload } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: ['ES256'],
      })
      entry.nonce = typeof payload.nonce === 'string' ? payload.nonce : undefined
      entry.ath = typeof payload.ath === 'string' ? payload.ath : undefined
      if (payload.htm !== req.method) throw new Error('htm mismatch')
      if (payload.htu !== `${url}${path}`) throw new Error(`htu mismatch: ${String(payload.htu)}`)
      const iat = Number(payload.iat)
      if (!(Math.abs(Date.now() / 1000 - iat) <= IAT_WINDOW)) throw new Error('iat out of window')
      if (typeof payload.jti !== 'string' || seenJti.has(payload.jti))
        throw new Error('jti missing or replayed')
      seenJti.add(payload.jti)
      const ath = createHash('sha256').update(token).digest('base64url')
      if (payload.ath !== ath) throw new Error('ath is not the hash of the token')
      const jkt = await calculateJwkThumbprint(/** @type {import('jose').JWK} */ (header.jwk))
      entry.jkt = jkt
      const cnf = /** @type {{ jkt?: string } | undefined} */ (claims.cnf)
      if (cnf?.jkt !== jkt) throw new Error("the proof's key is not the token's cnf.jkt")
    } catch (cause) {
      refuse('invalid_dpop_proof', cause instanceof Error ? cause.message : String(cause))
      return
    }
    if (entry.nonce !== nonce) {
      refuse('use_dpop_nonce', 'this resource server requires its nonce')
      return
    }
    entry.outcome = 'ok'
    answer(200, {}, { sub: claims.sub, scope: claims.scope, jkt: entry.jkt, path })
  }

  server.on('request', (req, res) => void handle(req, res))
  return {
    url,
    log,
    nonce,
    reset() {
      log.length = 0
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}
