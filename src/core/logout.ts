import { startEndSession } from './protocol/end-session'
import { revokeTokens } from './protocol/revoke'
import type { Endpoints } from './protocol/server'
import type { StoredTokens } from './storage/token-store'
import type { ClientContext } from './client-context'
import { toTokens } from './tokens'
import type { LogoutResult } from './types'

/**
 * The provider's part of a logout, loaded on use once the tokens are forgotten in every tab:
 * revocation of the refresh token, then the access token, and with `endSession` the redirect to
 * the provider's `end_session_endpoint` when it has one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export async function revokeAndEnd(
  ctx: ClientContext,
  endpoints: Endpoints,
  tokens: StoredTokens,
  endSession: boolean,
): Promise<LogoutResult> {
  const { profile, env } = ctx
  const outcome = await revokeTokens(endpoints, tokens, ctx.fetchFor('revocation'))
  const endpoint = endpoints.as.end_session_endpoint
  if (endSession && endpoint !== undefined) {
    const url = startEndSession(endpoint, {
      storage: env.transientStorage,
      profileId: profile.id,
      clientId: profile.client_id,
      idTokenHint: tokens.id_token,
      postLogoutRedirectUri: ctx.redirectUri(),
      now: env.now(),
    })
    env.navigate(url.href)
  }
  return {
    tokens: toTokens(tokens),
    revocation: outcome,
    ...(endpoint !== undefined ? { endSessionEndpoint: endpoint } : {}),
  }
}
