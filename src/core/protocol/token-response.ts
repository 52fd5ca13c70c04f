import type * as oauth from 'oauth4webapi'
import type { StoredTokens } from '../storage/token-store'
import type { DpopKey } from './dpop'
import { boundedExpiry, computeExpiresAt, MAX_DATE_MS } from '../jwt/expiry'
import { AppError } from './errors'

/** The names providers give the refresh token's lifetime in seconds (Keycloak; GitHub). */
const REFRESH_LIFETIME_FIELDS = ['refresh_expires_in', 'refresh_token_expires_in'] as const

/**
 * When the refresh token expires, when the answer says so; a refresh that kept the same refresh
 * token keeps its known expiry. A lifetime that is not a positive number of seconds within any
 * date is no information (Keycloak's `0` means "no fixed end").
 */
function refreshExpiresAt(
  answer: oauth.TokenEndpointResponse,
  receivedAt: number,
  previous: StoredTokens | undefined,
): number | undefined {
  for (const field of REFRESH_LIFETIME_FIELDS) {
    const seconds = answer[field]
    if (typeof seconds === 'number' && seconds > 0 && receivedAt + seconds * 1000 <= MAX_DATE_MS)
      return receivedAt + seconds * 1000
  }
  const kept =
    answer.refresh_token === undefined || answer.refresh_token === previous?.refresh_token
  return kept ? previous?.refresh_expires_at : undefined
}

/**
 * The token type must be the one asked for (RFC 9449 §5): `DPoP` when the request carried a proof,
 * `Bearer` otherwise. A provider that ignores the proof issues a bearer token anyone can replay; one
 * that binds a token unasked issues a token this session cannot use. Both are refused, explained.
 */
function checkTokenType(tokenType: string, dpop: DpopKey | undefined): void {
  const type = tokenType.toLowerCase()
  if (dpop !== undefined && type === 'bearer') {
    throw new AppError(
      'dpop_mismatch',
      "The provider issued a Bearer token although the request carried a DPoP proof (RFC 9449 §5): it ignored the proof, so the token is not bound to this browser's key and anyone holding it could use it.",
      { detail: { field: 'token_type' } },
    )
  }
  if (dpop === undefined && type === 'dpop') {
    throw new AppError(
      'dpop_mismatch',
      'The provider issued a DPoP-bound token although this profile does not use DPoP: the app holds no key to prove possession with, so the token is of no use.',
      { detail: { field: 'token_type' } },
    )
  }
  if (type !== 'bearer' && type !== 'dpop') {
    throw new AppError(
      'invalid_token_response',
      `The provider issued a "${tokenType}" token; PKCE Console only uses Bearer and DPoP tokens.`,
      { detail: { field: 'token_type' } },
    )
  }
}

/**
 * Checks what oauth4webapi leaves to the client (the `token_type` asked for, a sane `expires_in`)
 * and turns a token answer into what is stored. An `expires_in` beyond any date is refused; a
 * lifetime over a year is capped and flagged (`expiry_capped`), so no answer can make a stored
 * time unprintable. For a refresh, `previous` supplies the refresh token, ID token and DPoP key
 * when the answer has none (RFC 6749 §6: rotation is optional); for a code exchange, `dpop` is
 * the login's key.
 */
export function toStoredTokens(
  answer: oauth.TokenEndpointResponse,
  receivedAt: number,
  previous?: StoredTokens,
  dpop: DpopKey | undefined = previous?.dpop,
): StoredTokens {
  checkTokenType(answer.token_type, dpop)
  if (answer.expires_in !== undefined && !(answer.expires_in >= 0)) {
    throw new AppError(
      'invalid_token_response',
      `The provider sent an invalid "expires_in" (${String(answer.expires_in)}).`,
      { detail: { field: 'expires_in' } },
    )
  }
  // Finite, so oauth4webapi accepts it, yet `new Date(...).toISOString()` would throw RangeError.
  if (answer.expires_in !== undefined && !(receivedAt + answer.expires_in * 1000 <= MAX_DATE_MS)) {
    throw new AppError(
      'invalid_token_response',
      `The provider sent an "expires_in" of ${String(answer.expires_in)} seconds, beyond any date a browser can hold.`,
      { detail: { field: 'expires_in' } },
    )
  }
  const refreshToken = answer.refresh_token ?? previous?.refresh_token
  const idToken = answer.id_token ?? previous?.id_token
  // A refresh answer may leave out a scope that did not change (RFC 6749 §5.1).
  const scope = answer.scope ?? previous?.scope
  const expiry = boundedExpiry(computeExpiresAt(answer, receivedAt), receivedAt)
  const refreshExpiry =
    refreshToken !== undefined ? refreshExpiresAt(answer, receivedAt, previous) : undefined
  return {
    access_token: answer.access_token,
    token_type: dpop !== undefined ? 'DPoP' : 'Bearer',
    ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
    ...(idToken !== undefined ? { id_token: idToken } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...expiry,
    ...(refreshExpiry !== undefined ? { refresh_expires_at: refreshExpiry } : {}),
    received_at: receivedAt,
    ...(dpop !== undefined ? { dpop } : {}),
  }
}
