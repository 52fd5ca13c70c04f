import { decodeJwt } from './decode'

/** Beyond this difference between the provider's clock and ours, clocks are said to disagree. */
export const MAX_TRUSTED_SKEW_MS = 5 * 60 * 1000

/**
 * How far the provider's clock is ahead of ours (negative: behind), in ms, estimated from the `iat`
 * of a JWT received at `receivedAt`; undefined when no JWT carries one.
 */
export function estimateSkew(jwts: (string | undefined)[], receivedAt: number): number | undefined {
  for (const jwt of jwts) {
    const decoded = decodeJwt(jwt)
    const iat = decoded.ok ? decoded.payload.iat : undefined
    if (typeof iat === 'number' && Number.isFinite(iat)) return iat * 1000 - receivedAt
  }
  return undefined
}

/** The fields of a token answer that say when the access token expires. */
export interface ExpirySource {
  access_token: string
  expires_in?: number
  /** Doorkeeper (Nexus Mods) sends the issue time in seconds since the epoch. */
  created_at?: unknown
}

/**
 * When the access token expires, in ms since the epoch: `created_at + expires_in` when the provider
 * sends `created_at` (and its clock agrees with ours within {@link MAX_TRUSTED_SKEW_MS}), else receipt time + `expires_in`; without `expires_in`, the access token's own
 * `exp` when it is a JWT; else `undefined` (never refreshed ahead, only after a 401).
 */
export function computeExpiresAt(answer: ExpirySource, receivedAt: number): number | undefined {
  if (typeof answer.expires_in === 'number' && Number.isFinite(answer.expires_in)) {
    const createdAt = answer.created_at
    // `created_at` is the provider's clock: trusted only while it agrees with ours, so a device
    // clock hours off cannot make every fresh token look expired (and refresh in a loop).
    const base =
      typeof createdAt === 'number' &&
      Number.isFinite(createdAt) &&
      Math.abs(createdAt * 1000 - receivedAt) <= MAX_TRUSTED_SKEW_MS
        ? createdAt * 1000
        : receivedAt
    return base + answer.expires_in * 1000
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
