import { dpopHandle } from './protocol/dpop'
import { toAppError } from './protocol/errors'
import {
  checkIdTokenSignature,
  checkRefreshedIdToken,
  type IdTokenContext,
} from './protocol/id-token'
import { refreshTokens } from './protocol/refresh'
import type { Endpoints } from './protocol/server'
import type { Profile } from './profile/types'
import type { StoredTokens } from './storage/token-store'

/**
 * One refresh of a session, loaded with the first refresh: the refresh grant (with a proof of
 * the session's DPoP key when it is bound to one), then the new ID token's claims and signature.
 * Every failure becomes an AppError here, classified by oauth4webapi's error classes and codes
 * and the HTTP status, so the token getter on the start page never needs oauth4webapi.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
export async function refreshSession(
  tokens: StoredTokens,
  context: {
    profile: Profile
    endpointsOf: () => Promise<Endpoints>
    now: () => number
    fetch: typeof fetch
    /** The ID token's keys: their fetch and cache (the time is `now()` when they are checked). */
    keys: Omit<IdTokenContext, 'now'>
  },
): Promise<StoredTokens> {
  const { profile } = context
  try {
    const endpoints = await context.endpointsOf()
    const dpop = tokens.dpop && dpopHandle(tokens.dpop)
    const next = await refreshTokens(profile, endpoints, tokens, {
      now: context.now,
      fetch: context.fetch,
      ...(dpop !== undefined ? { dpop } : {}),
    })
    checkRefreshedIdToken(tokens, next)
    if (next.id_token !== tokens.id_token) {
      await checkIdTokenSignature(next.id_token, profile, endpoints, {
        ...context.keys,
        now: context.now(),
      })
    }
    return next
  } catch (cause) {
    throw toAppError(cause, 'refresh request')
  }
}
