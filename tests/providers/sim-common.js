// What the provider simulators share: a node:http server on a free port, CORS for the app's
// origins (with a switch to refuse it), a log of every request as the server parsed it, and the
// small answers OAuth uses. Plain JavaScript so that it runs on Node 20 without a build step.
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'

/**
 * One request as a simulator saw it, for tests to assert exact parameters.
 * @typedef {{
 *   method: string,
 *   path: string,
 *   contentType?: string,
 *   query: Record<string, string>,
 *   form?: Record<string, string>,
 *   json?: unknown,
 *   origin?: string,
 *   authorization?: string,
 * }} RecordedRequest
 */

/**
 * A route handler: gets the parsed request, answers with `res`.
 * @typedef {(request: RecordedRequest & { raw: string }, res: import('node:http').ServerResponse) => void | Promise<void>} Handler
 */

/** A random URL-safe token of `bytes` bytes. */
export function randomToken(bytes = 24) {
  return randomBytes(bytes).toString('base64url')
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256(/** @type {string} */ verifier) {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

/** Every form field once, as a plain object (a repeated field keeps its last value). */
function formObject(/** @type {URLSearchParams} */ params) {
  return Object.fromEntries(params.entries())
}

/**
 * Starts a simulator: `routes` maps "METHOD /path" to a handler. Unknown routes are 404.
 * @param {{
 *   port?: number,
 *   host?: string,
 *   allowedOrigins: () => Set<string>,
 *   refuseCors: () => boolean | string[],
 *   routes: (base: string) => Record<string, Handler>,
 * }} options
 */
export async function startSimServer(options) {
  const host = options.host ?? 'localhost'
  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {Record<string, Handler>} */
  let routes = {}

  /** Whether the browser may read answers on `path` from `origin` right now. */
  const corsAllowed = (/** @type {string | undefined} */ origin, /** @type {string} */ path) => {
    if (origin === undefined || !options.allowedOrigins().has(origin)) return false
    const refused = options.refuseCors()
    return refused === true ? false : Array.isArray(refused) ? !refused.includes(path) : true
  }

  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([])
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sim')
      const raw = Buffer.concat(chunks).toString('utf8')
      const contentType = req.headers['content-type']
      const origin = req.headers.origin
      /** @type {RecordedRequest} */
      const request = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: formObject(url.searchParams),
        ...(contentType !== undefined ? { contentType } : {}),
        ...(origin !== undefined ? { origin } : {}),
        ...(req.headers.authorization !== undefined
          ? { authorization: req.headers.authorization }
          : {}),
      }
      if (contentType?.startsWith('application/x-www-form-urlencoded'))
        request.form = formObject(new URLSearchParams(raw))
      if (contentType?.startsWith('application/json')) {
        try {
          request.json = JSON.parse(raw)
        } catch {
          request.json = raw
        }
      }
      requests.push(request)

      if (corsAllowed(origin, url.pathname)) {
        res.setHeader('access-control-allow-origin', /** @type {string} */ (origin))
        res.setHeader('access-control-expose-headers', 'www-authenticate')
        res.setHeader('vary', 'origin')
      }
      if (request.method === 'OPTIONS') {
        // The CORS preflight (for requests with Authorization or a JSON body).
        if (corsAllowed(origin, url.pathname)) {
          res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
          res.setHeader('access-control-allow-headers', 'authorization, content-type, accept')
          res.setHeader('access-control-max-age', '600')
        }
        res.writeHead(204).end()
        return
      }
      const handler = routes[`${request.method} ${url.pathname}`]
      if (handler === undefined) {
        sendJson(res, 404, { error: 'not_found', error_description: `no route ${url.pathname}` })
        return
      }
      Promise.resolve(handler({ ...request, raw }, res)).catch((/** @type {unknown} */ error) => {
        sendJson(res, 500, { error: 'server_error', error_description: String(error) })
      })
    })
  })
  await new Promise((resolve) =>
    server.listen(options.port ?? 0, host === 'localhost' ? '127.0.0.1' : host, () =>
      resolve(undefined),
    ),
  )
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const base = `http://${host}:${String(address.port)}`
  routes = options.routes(base)
  return {
    base,
    requests,
    close: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
      ),
  }
}

/** Answers JSON with no caching (RFC 6749 §5.1). */
export function sendJson(
  /** @type {import('node:http').ServerResponse} */ res,
  /** @type {number} */ status,
  /** @type {unknown} */ body,
  /** @type {Record<string, string>} */ headers = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(JSON.stringify(body))
}

/** An RFC 6749 §5.2 error answer. */
export function oauthError(
  /** @type {import('node:http').ServerResponse} */ res,
  /** @type {string} */ error,
  /** @type {string} */ description,
  status = 400,
) {
  sendJson(res, status, { error, error_description: description })
}

/** RFC 6750 §3.1: a 401 that refuses the bearer token. */
export function bearerRefused(
  /** @type {import('node:http').ServerResponse} */ res,
  /** @type {string} */ description,
) {
  sendJson(
    res,
    401,
    { error: 'invalid_token', error_description: description },
    { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
  )
}

/** The bearer token of an `Authorization: Bearer …` header (RFC 6750 §2.1), if any. */
export function bearerToken(/** @type {string | undefined} */ authorization) {
  return /^Bearer (\S+)$/.exec(authorization ?? '')?.[1]
}

/** Redirects the browser (authorization responses, RFC 6749 §4.1.2). */
export function redirect(
  /** @type {import('node:http').ServerResponse} */ res,
  /** @type {string} */ location,
) {
  res.writeHead(302, { location, 'cache-control': 'no-store' }).end()
}

/** A plain page for errors that must not redirect (unknown client or redirect URI, §4.1.2.1). */
export function errorPage(
  /** @type {import('node:http').ServerResponse} */ res,
  /** @type {string} */ message,
) {
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(message)
}

/** Whether a form body was sent as `application/x-www-form-urlencoded` (RFC 6749 §4.1.3). */
export function isForm(/** @type {RecordedRequest} */ request) {
  return request.contentType?.startsWith('application/x-www-form-urlencoded') === true
}

/**
 * The switches both simulators share, their defaults, and the handle a test gets: the request
 * log, `requestsTo(path)`, `reset()` (switches, settings and log back to the start) and `close()`.
 * @template {Record<string, unknown>} [Extra={}]
 * @param {number} accessTokenTTL seconds
 * @param {Extra} [extra] a simulator's own settings and their defaults
 */
export function simState(accessTokenTTL, extra = /** @type {Extra} */ ({})) {
  const faults = {
    /** true: no CORS anywhere; a list of paths: no CORS on those (e.g. ['/oauth/token']). */
    refuseCors: /** @type {boolean | string[]} */ (false),
    /** The user clicks "Deny": the callback carries error=access_denied. */
    denyAuthorization: false,
    /** The user revoked the app: every refresh is answered 400 invalid_grant. */
    refreshRefused: false,
  }
  const defaults = { accessTokenTTL, clockOffsetMs: 0, ...extra }
  const settings = { ...defaults }
  return {
    faults,
    settings,
    /** The simulator's clock: a test moves it with the browser's (`settings.clockOffsetMs`). */
    now: () => Date.now() + settings.clockOffsetMs,
    /** @param {{ base: string, requests: RecordedRequest[], close: () => Promise<unknown> }} sim */
    handle(sim) {
      return {
        base: sim.base,
        requests: sim.requests,
        faults,
        settings,
        /** Requests to one path, OPTIONS preflights left out. */
        requestsTo: (/** @type {string} */ path) =>
          sim.requests.filter((request) => request.path === path && request.method !== 'OPTIONS'),
        reset() {
          faults.refuseCors = false
          faults.denyAuthorization = false
          faults.refreshRefused = false
          Object.assign(settings, defaults)
          sim.requests.length = 0
        },
        close: sim.close,
      }
    },
  }
}

/**
 * The checks every authorization request goes through first (RFC 6749 §4.1.1, §4.1.2.1): a known
 * client and a registered redirect URI (else an error page, never a redirect), `response_type=code`
 * and known scopes (else an error back at the redirect URI). Returns the query, the client and
 * `reply(params)` (redirects back with `state`), or undefined when it has already answered.
 * @template {object} Client
 * @param {RecordedRequest} request
 * @param {import('node:http').ServerResponse} res
 * @param {{ clients: Record<string, Client>, redirectUris: string[], scopes: Set<string> }} options
 */
export function checkAuthorizationRequest(request, res, options) {
  const q = request.query
  const client = q.client_id === undefined ? undefined : options.clients[q.client_id]
  if (client === undefined) return errorPage(res, 'Unknown client_id')
  if (q.redirect_uri === undefined || !options.redirectUris.includes(q.redirect_uri))
    return errorPage(res, 'The redirect_uri is not registered for this client')
  const back = new URL(q.redirect_uri)
  const reply = (/** @type {Record<string, string>} */ params) => {
    for (const [name, value] of Object.entries(params)) back.searchParams.set(name, value)
    if (q.state !== undefined) back.searchParams.set('state', q.state)
    redirect(res, back.href)
  }
  if (q.response_type !== 'code') {
    reply({ error: 'unsupported_response_type', error_description: 'code only' })
    return undefined
  }
  const unknown = (q.scope ?? '').split(' ').filter((w) => w !== '' && !options.scopes.has(w))
  if (unknown.length > 0) {
    reply({ error: 'invalid_scope', error_description: unknown.join(' ') })
    return undefined
  }
  return { q, client, reply, redirectUri: q.redirect_uri }
}
