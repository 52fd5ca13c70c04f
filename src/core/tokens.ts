import type { StoredTokens } from './storage/token-store'
import { decodeJwt } from './jwt/decode'

/**
 * The tokens of a session, as the library hands them out (the token response's names). Times
 * are ms since the epoch, counted from when the answer arrived (never the provider's clock).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse
 */
export interface Tokens {
  /** The bearer token to send to APIs (RFC 6750). */
  access_token: string
  /** `Bearer` (case as the provider sent it). */
  token_type: string
  /** When the access token expires; `undefined` when the provider did not say. */
  expires_at: number | undefined
  /** The refresh token, when the provider issued one; replaced when a refresh rotates it. */
  refresh_token?: string
  /** The ID token (OpenID Connect), as received. */
  id_token?: string
  /** The scope granted, when the provider said (RFC 6749 §3.3). */
  scope?: string
  /** The ID token's claims: its signature and claims were checked when it was received. */
  id_token_claims?: Record<string, unknown>
  /** When the app received these tokens (ms since the epoch). */
  received_at: number
  /** The provider's lifetime was over a year, so `expires_at` was capped to one. */
  expiry_capped?: true
  /** When the refresh token expires, when the provider said (`refresh_expires_in`). */
  refresh_expires_at?: number
  /**
   * With DPoP: the RFC 7638 thumbprint of the key the tokens are bound to (what the access
   * token's `cnf.jkt` names). The key itself never leaves the library.
   */
  dpop_jkt?: string
}

/** The public view of stored tokens (no bookkeeping fields). */
export function toTokens(stored: StoredTokens): Tokens {
  const claims = stored.id_token === undefined ? undefined : decodeJwt(stored.id_token)
  return {
    access_token: stored.access_token,
    token_type: stored.token_type,
    expires_at: stored.expires_at,
    ...(stored.refresh_token !== undefined ? { refresh_token: stored.refresh_token } : {}),
    ...(stored.id_token !== undefined ? { id_token: stored.id_token } : {}),
    ...(stored.scope !== undefined ? { scope: stored.scope } : {}),
    ...(claims?.ok === true ? { id_token_claims: claims.payload } : {}),
    received_at: stored.received_at,
    ...(stored.expiry_capped === true ? { expiry_capped: true } : {}),
    ...(stored.refresh_expires_at !== undefined
      ? { refresh_expires_at: stored.refresh_expires_at }
      : {}),
    ...(stored.dpop !== undefined ? { dpop_jkt: stored.dpop.jkt } : {}),
  }
}
