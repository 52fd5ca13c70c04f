/** A JWK Set as fetched, and when (ms since the epoch). */
export interface JwksEntry {
  keys: Record<string, unknown>[]
  fetchedAt: number
}

/** Fetched JWK Sets by URL; one per session, so keys are not fetched for every token shown. */
export type JwksCache = Map<string, JwksEntry>

/** Why a JWKS could not be had. */
export type JwksErrorCode = 'jwks_unreachable' | 'jwks_invalid'

/** The keys of a JWKS, or why there are none. */
export type JwksResult =
  | { ok: true; keys: Record<string, unknown>[]; refetched: boolean }
  | { ok: false; code: JwksErrorCode; message: string }

/** A cached JWKS is used this long before it is fetched again. */
export const JWKS_MAX_AGE_MS = 10 * 60 * 1000
/** An unknown `kid` refetches a cached JWKS at most this often (key rotation, not a loop). */
export const JWKS_COOLDOWN_MS = 30 * 1000
/** More keys than this in one set are ignored: each one costs an import. */
const MAX_KEYS = 50

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Fetches a JWK Set (RFC 7517 §5) with `fetchImpl`, which brings the timeout. A rejected fetch is reported as blocked by CORS
 * or the network: a browser does not tell which.
 */
export async function fetchJwks(
  url: string,
  fetchImpl: typeof fetch,
): Promise<{ ok: true; keys: Record<string, unknown>[] } | Extract<JwksResult, { ok: false }>> {
  let response: Response
  try {
    response = await fetchImpl(url, {
      method: 'GET',
      credentials: 'omit',
    })
  } catch {
    return {
      ok: false,
      code: 'jwks_unreachable',
      message: `the JWKS at ${url} could not be fetched (blocked by CORS, or the network is down)`,
    }
  }
  if (!response.ok) {
    return {
      ok: false,
      code: 'jwks_unreachable',
      message: `the JWKS at ${url} answered HTTP ${String(response.status)}`,
    }
  }
  let body: unknown
  try {
    body = await response.json()
  } catch {
    return { ok: false, code: 'jwks_invalid', message: `the JWKS at ${url} is not JSON` }
  }
  if (!isObject(body) || !Array.isArray(body.keys)) {
    return { ok: false, code: 'jwks_invalid', message: `the JWKS at ${url} has no "keys" list` }
  }
  return { ok: true, keys: body.keys.filter(isObject).slice(0, MAX_KEYS) }
}

const hasKid = (keys: Record<string, unknown>[], kid: string) => keys.some((k) => k.kid === kid)

/** Fetches under way, per cache and URL: checks that start together share one request. */
const inFlight = new WeakMap<JwksCache, Map<string, Promise<JwksResult>>>()

/**
 * The keys at `url`, from `cache` while fresh. When the token's `kid` is not among cached keys, the
 * set is fetched again once (the provider may have rotated keys), unless it was fetched less than
 * {@link JWKS_COOLDOWN_MS} ago: an unknown `kid` then fails instead of looping.
 */
export async function jwksKeys(
  url: string,
  kid: string | undefined,
  options: { fetch: typeof fetch; now: number; cache: JwksCache },
): Promise<JwksResult> {
  const { cache, now } = options
  const load = (): Promise<JwksResult> => {
    let pending = inFlight.get(cache)
    if (pending === undefined)
      inFlight.set(cache, (pending = new Map<string, Promise<JwksResult>>()))
    const running = pending.get(url)
    if (running !== undefined) return running
    const started = (async (): Promise<JwksResult> => {
      const fetched = await fetchJwks(url, options.fetch)
      if (!fetched.ok) return fetched
      cache.set(url, { keys: fetched.keys, fetchedAt: now })
      return { ok: true, keys: fetched.keys, refetched: false }
    })().finally(() => pending.delete(url))
    pending.set(url, started)
    return started
  }
  const cached = cache.get(url)
  if (cached === undefined || now - cached.fetchedAt >= JWKS_MAX_AGE_MS) return load()
  if (
    kid !== undefined &&
    !hasKid(cached.keys, kid) &&
    now - cached.fetchedAt >= JWKS_COOLDOWN_MS
  ) {
    const again = await load()
    return again.ok ? { ...again, refetched: true } : again
  }
  return { ok: true, keys: cached.keys, refetched: false }
}
