import { decodeJwt } from './decode'

/** The fields of a token answer that say when the access token expires. */
export interface ExpirySource {
  access_token: string
  expires_in?: number
  /** Doorkeeper (Nexus Mods) sends the issue time in seconds since the epoch. */
  created_at?: unknown
}

/**
 * When the access token expires, in ms since the epoch: `created_at + expires_in` when the provider
 * sends `created_at`, else receipt time + `expires_in`; without `expires_in`, the access token's own
 * `exp` when it is a JWT; else `undefined` (never refreshed ahead, only after a 401).
 */
export function computeExpiresAt(answer: ExpirySource, receivedAt: number): number | undefined {
  if (typeof answer.expires_in === 'number' && Number.isFinite(answer.expires_in)) {
    const createdAt = answer.created_at
    const base =
      typeof createdAt === 'number' && Number.isFinite(createdAt) && createdAt > 0
        ? createdAt * 1000
        : receivedAt
    return base + answer.expires_in * 1000
  }
  const decoded = decodeJwt(answer.access_token)
  if (
    decoded.ok &&
    typeof decoded.payload.exp === 'number' &&
    Number.isFinite(decoded.payload.exp)
  ) {
    return decoded.payload.exp * 1000
  }
  return undefined
}
