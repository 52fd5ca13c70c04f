// What a profile's URLs may be, and the authorize parameters they may not carry: one module,
// one chunk shared by validation (start page) and the login (loaded on use).

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** True for a loopback host name as the URL parser spells it. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost')
}

/**
 * Checks an endpoint URL: `https:`, or `http:` on a loopback host (RFC 8252 §8.3 spirit).
 * Returns a sentence saying what is wrong, or `undefined` when the URL is acceptable.
 */
export function endpointProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty URL string'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `"${value}" is not an absolute URL`
  }
  // `https://accounts.google.com@evil.test/` is evil.test's; fetch refuses such URLs anyway.
  if (url.username !== '' || url.password !== '') {
    return `"${value}" has a user name before "@": its host is ${url.host}`
  }
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? undefined
      : `"${value}" uses plain http: on a non-loopback host; use https:`
  }
  return `"${value}" uses the ${url.protocol} scheme; only https: (or http: on localhost) is allowed`
}

/** True when a loopback `http:` URL needs oauth4webapi's `allowInsecureRequests`. */
export function isInsecureLoopback(value: string): boolean {
  const url = new URL(value)
  return url.protocol === 'http:' && isLoopbackHost(url.hostname)
}

/**
 * Authorize parameters the app owns (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC `nonce`) or that change
 * the response (`response_mode`, JAR `request`/`request_uri`, RFC 9101): one set by hand would
 * break the PKCE, state or nonce checks, or send the code where the app does not read it.
 */
const RESERVED_PARAMS = new Set([
  'response_type',
  'response_mode',
  'request',
  'request_uri',
  'redirect_uri',
  'state',
  'nonce',
  'client_id',
])

/**
 * Whether an authorization request parameter is the app's alone: it sets it itself, or the
 * parameter changes how the response comes back (`response_mode=form_post` would have the provider
 * POST the code to a static host) or replaces the request (`request`, `request_uri`).
 */
export function isReservedParam(name: string): boolean {
  const lower = name.toLowerCase()
  return RESERVED_PARAMS.has(lower) || lower.startsWith('code_challenge')
}

/**
 * The reserved parameters that change where or how the response comes back, refused in a
 * profile's authorization endpoint URL. The others (`client_id`, `state`, …) are harmless there:
 * the app sets its own over them, as URL builders such as Discord's copy them in.
 */
const RESPONSE_CHANGING = new Set(['response_mode', 'request', 'request_uri'])

export function changesResponse(name: string): boolean {
  return RESPONSE_CHANGING.has(name.toLowerCase())
}
