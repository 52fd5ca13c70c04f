import type * as oauth from 'oauth4webapi'
import type { StoredTokens } from '../storage/token-store'
import type { DpopKey } from './dpop'
import { boundedExpiry, computeExpiresAt, MAX_DATE_MS } from '../jwt/expiry'
import { AppError } from './errors'

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
      'Check that the provider supports DPoP for this client (or turn DPoP off in the profile), then press Log in.',
    )
  }
  if (dpop === undefined && type === 'dpop') {
    throw new AppError(
      'dpop_mismatch',
      'The provider issued a DPoP-bound token although this profile does not use DPoP: the app holds no key to prove possession with, so the token is of no use.',
      'Turn DPoP on in the profile (or register the client without DPoP at the provider), then press Log in.',
    )
  }
  if (type !== 'bearer' && type !== 'dpop') {
    throw new AppError(
      'invalid_token_response',
      `The provider issued a "${tokenType}" token; PKCE Console only uses Bearer and DPoP tokens.`,
      'Use a provider configuration that issues Bearer tokens.',
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
      'This is a provider problem; press Log in to try again.',
    )
  }
  // Finite, so oauth4webapi accepts it, yet `new Date(...).toISOString()` would throw RangeError.
  if (answer.expires_in !== undefined && !(receivedAt + answer.expires_in * 1000 <= MAX_DATE_MS)) {
    throw new AppError(
      'invalid_token_response',
      `The provider sent an "expires_in" of ${String(answer.expires_in)} seconds, beyond any date a browser can hold.`,
      'This is a provider problem; press Log in to try again.',
    )
  }
  const refreshToken = answer.refresh_token ?? previous?.refresh_token
  const idToken = answer.id_token ?? previous?.id_token
  const expiry = boundedExpiry(computeExpiresAt(answer, receivedAt), receivedAt)
  return {
    access_token: answer.access_token,
    token_type: dpop !== undefined ? 'DPoP' : 'Bearer',
    ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
    ...(idToken !== undefined ? { id_token: idToken } : {}),
    ...(answer.scope !== undefined ? { scope: answer.scope } : {}),
    ...expiry,
    received_at: receivedAt,
    ...(dpop !== undefined ? { dpop } : {}),
  }
}
