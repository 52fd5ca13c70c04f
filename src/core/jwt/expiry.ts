import { decodeJwt } from './decode'

// The start page reads stored expiries (`bounded-expiry.ts`) without this file's answer parsing.
export { boundedExpiry, MAX_DATE_MS, MAX_LIFETIME_MS, type BoundedExpiry } from './bounded-expiry'

/** Beyond this difference between the provider's clock and ours, clocks are said to disagree. */
export const MAX_TRUSTED_SKEW_MS = 5 * 60 * 1000

/**
 * The largest clock difference an ID token's times are corrected for at the code exchange: two
 * hours (what the clock-skew tests use), plus a minute for the network and `iat`'s whole seconds.
 */
export const MAX_CORRECTED_SKEW_MS = 2 * 3600 * 1000 + 60 * 1000

/**
 * How far the provider's clock is ahead of ours (negative: behind), in ms, estimated from the `iat`
 * of a JWT received at `receivedAt`, else from Doorkeeper's `created_at` (seconds since the epoch);
 * undefined when nothing says.
 */
export function estimateSkew(
  jwts: (string | undefined)[],
  receivedAt: number,
  createdAt?: unknown,
): number | undefined {
  for (const jwt of jwts) {
    const decoded = decodeJwt(jwt)
    const iat = decoded.ok ? decoded.payload.iat : undefined
    if (typeof iat === 'number' && Number.isFinite(iat)) return iat * 1000 - receivedAt
  }
  if (typeof createdAt === 'number' && Number.isFinite(createdAt))
    return createdAt * 1000 - receivedAt
  return undefined
}

/** The fields of a token answer that say when the access token expires. */
export interface ExpirySource {
  access_token: string
  expires_in?: number
  /**
   * Doorkeeper (Nexus Mods) sends the issue time in seconds since the epoch, on its own clock: a
   * witness of clock difference ({@link estimateSkew}), never a base for the expiry.
   */
  created_at?: unknown
}

/**
 * When the access token expires, in ms since the epoch: receipt time + `expires_in`, because
 * `expires_in` is the time remaining when the provider answered (RFC 6749 §5.1), whatever its clock
 * says (Doorkeeper's `created_at + expires_in` is off by the clock difference and by the token's
 * age when a token is reused). Without `expires_in`, the access token's own `exp` when it is a
 * JWT; else `undefined` (never refreshed ahead, only after a 401). Not bounded: see
 * {@link boundedExpiry}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.1
 */
export function computeExpiresAt(answer: ExpirySource, receivedAt: number): number | undefined {
  if (typeof answer.expires_in === 'number' && Number.isFinite(answer.expires_in)) {
    return receivedAt + answer.expires_in * 1000
  }
  const decoded = decodeJwt(answer.access_token)
  const exp = decoded.ok ? decoded.payload.exp : undefined
  const iat = decoded.ok ? decoded.payload.iat : undefined
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined
  // `exp` is the provider's clock: with `iat`, only the lifetime is taken, counted from receipt.
  if (typeof iat === 'number' && Number.isFinite(iat) && exp >= iat) {
    return receivedAt + (exp - iat) * 1000
  }
  return Math.abs(exp * 1000 - receivedAt) <= MAX_TRUSTED_SKEW_MS || exp * 1000 > receivedAt
    ? exp * 1000
    : undefined
}
