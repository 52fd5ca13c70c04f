import { AppError } from './errors'
import type { Endpoints } from './server'
import type { Profile } from '../profile/types'
import type { StoredTokens } from '../storage/token-store'
import { decodeJwt } from '../jwt/decode'
import type { JwksCache } from '../jwt/jwks'
import { profileKeySources } from '../jwt/key-input'
import { precheck, type VerifyResult } from '../jwt/signature'

/** What checking an ID token's signature needs from the session. */
export interface IdTokenContext {
  fetch: typeof fetch
  now: number
  jwksCache: JwksCache
}

/**
 * Signed so that no public key can check it (`alg: none`, HMAC, an unknown algorithm): a setting
 * of the client at the provider.
 */
const unusableAlg = (result: VerifyResult) =>
  result.status === 'not_checked' &&
  ['alg_none', 'symmetric_alg', 'unsupported_alg'].includes(result.code)

/**
 * Results that refuse the ID token: a signature no key verifies, an unknown `kid` after one JWKS
 * refetch, and tokens that cannot be signed by the provider's public keys at all (`alg: none`,
 * HMAC, unknown algorithms, malformed). "Not checked" for lack of a usable key is accepted: the
 * token came straight from the token endpoint over TLS (OIDC Core §3.1.3.7 step 6).
 */
function refuses(result: VerifyResult): boolean {
  if (result.status === 'invalid') return true
  return (
    result.status === 'not_checked' &&
    (unusableAlg(result) || result.code === 'malformed' || result.code === 'unknown_kid')
  )
}

/**
 * Checks an ID token's signature with the provider's keys (the profile's `verification_keys` and
 * the JWKS at `jwks_uri`) before anything is stored. Keys named by the token's own header (`jwk`,
 * `jku`, `x5u`, `x5c`) are never used; an unknown `kid` refetches the JWKS once, then fails.
 * Claims (`iss`, `aud`, `exp`, `iat`, `nonce`) are oauth4webapi's job and already checked.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @see https://www.rfc-editor.org/rfc/rfc8725.html#section-3.1
 */
export async function checkIdTokenSignature(
  idToken: string | undefined,
  profile: Profile,
  endpoints: Endpoints,
  context: IdTokenContext,
): Promise<void> {
  if (idToken === undefined) return
  let result = precheck(decodeJwt(idToken))
  if (result === undefined) {
    const sources = profileKeySources(profile.verification_keys, endpoints.as.jwks_uri)
    if (sources.length === 0) return
    const { verifyJwt } = await import('../jwt/verify')
    result = await verifyJwt(idToken, sources, context)
  }
  if (refuses(result)) {
    const reason = result.status === 'verified' ? '' : result.reason
    throw new AppError(
      'id_token_invalid',
      `The ID token was refused: its signature is not the provider's (${reason}). Nothing was stored.`,
      unusableAlg(result) ? { detail: { field: 'alg' } } : {},
    )
  }
}

/**
 * Starts what checking an ID token will need, while the code is being exchanged: the verifier's
 * code (jose) and the provider's JWKS, into `context.jwksCache`. Resolves once both are there or
 * failed; a failure is not reported here (the check fetches again and says what went wrong).
 */
export async function prefetchIdTokenKeys(
  endpoints: Endpoints,
  context: IdTokenContext,
): Promise<void> {
  const url = endpoints.as.jwks_uri
  if (url === undefined) return
  const { jwksKeys } = await import('../jwt/jwks')
  await Promise.all([
    import('../jwt/verify').catch(() => undefined),
    jwksKeys(url, undefined, { fetch: context.fetch, now: context.now, cache: context.jwksCache }),
  ])
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * An ID token from a refresh must name the same issuer, subject and audience as the one it
 * replaces (OIDC Core §12.2); otherwise the session is not the user's any more.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
export function checkRefreshedIdToken(previous: StoredTokens, next: StoredTokens): void {
  if (previous.id_token === undefined || next.id_token === previous.id_token) return
  const before = decodeJwt(previous.id_token)
  const after = next.id_token === undefined ? undefined : decodeJwt(next.id_token)
  if (!before.ok || after?.ok !== true) return
  const changed = (['iss', 'sub', 'aud'] as const).filter(
    (claim) => !same(before.payload[claim], after.payload[claim]),
  )
  if (changed.length > 0) {
    throw new AppError(
      'id_token_invalid',
      `The ID token from the refresh names a different ${changed.join(', ')} than the session's (OIDC Core §12.2).`,
      { detail: { step: 'refresh' } },
    )
  }
}
