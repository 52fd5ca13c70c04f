import type { AppError } from '../protocol/app-error'
import type { StoredTokens } from '../storage/token-store'

/**
 * Tokens younger than this are never refreshed ahead (only a 401 forces it): whatever `expires_in`
 * or a device clock says, token calls stay bounded to one a second per profile.
 */
export const MIN_REFRESH_INTERVAL_MS = 1000

/** The default refresh margin: refresh a minute before expiry. */
export const DEFAULT_MARGIN_MS = 60_000

/**
 * How long before expiry a token counts as "near expiry": 60 s by default, but never more than a
 * quarter of the token's lifetime, so a token that lives 10 s is not refreshed on every call.
 */
export function refreshMargin(tokens: StoredTokens, marginMs = DEFAULT_MARGIN_MS): number {
  if (tokens.expires_at === undefined) return 0
  const lifetime = Math.max(0, tokens.expires_at - tokens.received_at)
  return Math.min(marginMs, lifetime / 4)
}

/**
 * Whether the access token must be refreshed before use: expired or inside the margin. Without a
 * known expiry, or without a refresh token, it is never refreshed ahead (the API's 401 decides).
 */
export function needsRefresh(
  tokens: StoredTokens,
  now: number,
  marginMs = DEFAULT_MARGIN_MS,
): boolean {
  if (tokens.expires_at === undefined || tokens.refresh_token === undefined) return false
  if (now - tokens.received_at < MIN_REFRESH_INTERVAL_MS && now >= tokens.received_at) return false
  return now >= tokens.expires_at - refreshMargin(tokens, marginMs)
}

/** Whether the access token is past its expiry (no margin). */
export function isExpired(tokens: StoredTokens, now: number): boolean {
  return tokens.expires_at !== undefined && now >= tokens.expires_at
}

/** When the proactive timer should fire, in ms from `now`, or undefined for no timer. */
export function refreshDelay(
  tokens: StoredTokens,
  now: number,
  marginMs = DEFAULT_MARGIN_MS,
): number | undefined {
  if (tokens.expires_at === undefined || tokens.refresh_token === undefined) return undefined
  const due = Math.max(
    tokens.expires_at - refreshMargin(tokens, marginMs),
    tokens.received_at + MIN_REFRESH_INTERVAL_MS,
  )
  return Math.max(0, due - now)
}

/**
 * The longest the refresh timer sleeps before it looks at the clock again. Timers stall while a
 * device sleeps and do not count the time asleep, so one long timer can fire long after the
 * token expired; short polls that re-check {@link needsRefresh} against the clock cannot.
 */
export const POLL_INTERVAL_MS = 5_000

/** When the refresh timer should next look, in ms from `now`, or undefined for no timer. */
export function nextCheckDelay(
  tokens: StoredTokens,
  now: number,
  marginMs = DEFAULT_MARGIN_MS,
): number | undefined {
  const delay = refreshDelay(tokens, now, marginMs)
  return delay === undefined ? undefined : Math.min(delay, POLL_INTERVAL_MS)
}

/** Backoff before retry `attempt` (1-based) after a transient refresh failure: 1 s, 2 s, 4 s, … 16 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(16_000, 1000 * 2 ** (attempt - 1))
}

/**
 * 4xx statuses that say "not now", not "no": 408 Request Timeout and 429 Too Many Requests
 * (RFC 9110 §15.5.9, RFC 6585 §4). Auth0 and Okta rate-limit their token endpoints with 429.
 */
const tryLater = (status: number) => status === 408 || status === 429

/**
 * Whether a refresh failure is worth retrying: the provider was unreachable, slow, rate-limited
 * (408, 429) or answered 5xx (with an OAuth error body, a challenge, JSON or not). Tokens are
 * always kept after such a failure.
 */
export function isTransient(error: AppError): boolean {
  const { code, status = 0 } = error
  return (
    code === 'cors_blocked' ||
    code === 'timeout' ||
    code === 'provider_unavailable' ||
    status >= 500 ||
    tryLater(status)
  )
}

/**
 * Whether a refresh failure means the provider revoked access (any other 4xx answer: RFC 6749
 * §5.2, and the Nexus Mods guide's "treat a 4xx as logged out"), as opposed to a transient fault.
 */
export function isRevocation(error: AppError): boolean {
  // An ID token that is not the session's (another user, a forged signature) ends the session too.
  if (error.code === 'id_token_invalid') return true
  const status = error.status ?? 0
  return status >= 400 && status < 500 && !tryLater(status)
}
