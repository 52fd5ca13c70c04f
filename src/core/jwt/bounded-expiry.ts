/** The largest time a JavaScript Date holds (ECMA-262 §21.4.1.1), in ms since the epoch. */
export const MAX_DATE_MS = 8.64e15

/**
 * The longest access-token lifetime taken as given. Anything longer (a provider bug, or a hostile
 * answer) is counted as this, with a warning, so the countdown and refresh stay meaningful.
 */
export const MAX_LIFETIME_MS = 365 * 86_400_000

/** An expiry that a Date can hold, and whether it was cut down to {@link MAX_LIFETIME_MS}. */
export interface BoundedExpiry {
  expires_at?: number
  /** The provider's lifetime was longer than a year (or beyond any date) and was capped. */
  expiry_capped?: true
}

/**
 * `expiresAt` bounded for storage and display: a lifetime beyond {@link MAX_LIFETIME_MS} after
 * `receivedAt` (including times no Date holds, which make `toISOString()` throw) becomes exactly
 * that, flagged so the user is told; a value that is not a number is dropped (unknown expiry).
 */
export function boundedExpiry(expiresAt: unknown, receivedAt: number): BoundedExpiry {
  if (typeof expiresAt !== 'number' || Number.isNaN(expiresAt)) return {}
  if (!(expiresAt - receivedAt <= MAX_LIFETIME_MS)) {
    return { expires_at: receivedAt + MAX_LIFETIME_MS, expiry_capped: true }
  }
  return { expires_at: Math.max(expiresAt, -MAX_DATE_MS) }
}
