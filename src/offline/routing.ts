// What the service worker does with each request, as pure decisions over plain facts, so the rules
// that keep tokens and provider answers out of Cache Storage are unit-tested without a browser.

/** The parts of a `Request` the decisions read. */
export interface RequestFacts {
  url: string
  method: string
  /** `Request.mode`: `navigate` for a page load. */
  mode: string
  /** Whether the request carries an `Authorization` header. */
  authorization: boolean
}

/** The parts of a `Response` that decide whether it may be stored. */
export interface ResponseFacts {
  status: number
  /** `Response.type`: `basic` is a same-origin answer the worker may read. */
  type: string
  redirected: boolean
}

/**
 * - `precached`: one of this build's own files: from the cache, the network only if it is missing.
 * - `shell`: a page load of the app (`./`, `./index.html`, with or without a callback query):
 *   network first, this build's `index.html` when the network fails; never stored from here.
 * - `config`: the deployment's `providers.json`: network first, the last good copy offline.
 * - `network`: anything else; the worker stays out of the way (no `respondWith`).
 */
export type Route = 'precached' | 'shell' | 'config' | 'network'

/** The deployment's configuration file, next to `index.html`. */
export const CONFIG_FILE = 'providers.json'

/** Whether `url` is on the scope's origin and inside its path. */
function inScope(url: URL, scope: URL): boolean {
  return url.origin === scope.origin && url.pathname.startsWith(scope.pathname)
}

/**
 * Which way a request goes. Only GETs without `Authorization` to the worker's own origin and
 * scope are ever answered by the worker; every request to a provider, and every API call, goes
 * to the network untouched.
 *
 * @param precached absolute URLs of this build's files (no query, no fragment)
 */
export function routeRequest(
  request: RequestFacts,
  scope: string,
  precached: ReadonlySet<string>,
): Route {
  if (request.method !== 'GET' || request.authorization) return 'network'
  const url = new URL(request.url)
  const base = new URL(scope)
  if (!inScope(url, base)) return 'network'
  const path = url.pathname.slice(base.pathname.length)
  if (request.mode === 'navigate') {
    // The callback (`?code=…&state=…`) is the app's own page: its script reads the query.
    return path === '' || path === 'index.html' ? 'shell' : 'network'
  }
  if (url.search !== '') return 'network'
  if (path === CONFIG_FILE) return 'config'
  return precached.has(url.origin + url.pathname) ? 'precached' : 'network'
}

/**
 * Whether the answer to `request` may be put in Cache Storage: only this build's own files and the
 * deployment's `providers.json`, by GET without credentials, at a URL without query or fragment,
 * answered 200 by the same origin with no redirect. Everything else (tokens, provider answers,
 * API bodies, callback pages) never is.
 */
export function shouldCache(
  request: RequestFacts,
  response: ResponseFacts,
  scope: string,
  precached: ReadonlySet<string>,
): boolean {
  const url = new URL(request.url)
  if (url.search !== '' || url.hash !== '') return false
  const route = routeRequest(request, scope, precached)
  if (route !== 'precached' && route !== 'config') return false
  return response.status === 200 && response.type === 'basic' && !response.redirected
}

/** The facts of a `Request`. */
export function requestFacts(request: Request): RequestFacts {
  return {
    url: request.url,
    method: request.method,
    mode: request.mode,
    authorization: request.headers.has('authorization'),
  }
}
