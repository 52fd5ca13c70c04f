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
    return `"${value}" has a user name before "@" (its host is ${url.host}); an endpoint cannot carry one`
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
