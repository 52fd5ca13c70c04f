import * as oauth from 'oauth4webapi'
import type { Profile } from '../profile/types'
import type { StoredTokens } from '../storage/token-store'
import { retryOnNonce } from './dpop'
import { AppError, toAppError } from './errors'
import { clientAuth, requestOptions } from './oauth-options'
import { refreshServer, type Endpoints } from './server'
import { toStoredTokens } from './token-response'

/**
 * Microsoft Entra's token endpoints, whose refresh request requires `scope` (the scopes asked for
 * at login, or a subset: the profile's Scope is sent), unlike RFC 6749 §6 where an absent scope
 * means the one granted. B2C and CIAM tenants on custom domains are not recognised.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
 */
const ENTRA_HOSTS =
  /(^|\.)(login\.microsoftonline\.(com|us)|login\.microsoft\.com|login\.partner\.microsoftonline\.cn|login\.chinacloudapi\.cn|b2clogin\.com|ciamlogin\.com)$/

function wantsScopeOnRefresh(tokenEndpoint: string | undefined): boolean {
  try {
    return tokenEndpoint !== undefined && ENTRA_HOSTS.test(new URL(tokenEndpoint).hostname)
  } catch {
    return false
  }
}

/**
 * Exchanges the refresh token (RFC 6749 §6) at the profile's `refresh_endpoint` when it has one
 * (MyNickname), else at the token endpoint. The client secret goes only when the profile has one.
 * A new `refresh_token` replaces the old; an answer without one keeps the old. Tokens bound to a
 * DPoP key are refreshed with a proof of that key (`dpop`: its handle), and a `use_dpop_nonce`
 * answer is retried once with the server's nonce (RFC 9449 §5, §8).
 *
 * Errors: `oauth_error` with the provider's code for a 4xx answer (access revoked: the caller signs
 * out, but for 408 and 429); anything else (5xx, 408, 429, network, timeout) is transient and
 * leaves the tokens alone.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
 */
export async function refreshTokens(
  profile: Profile,
  endpoints: Endpoints,
  tokens: StoredTokens,
  options: { now: () => number; fetch: typeof fetch; dpop?: oauth.DPoPHandle },
): Promise<StoredTokens> {
  if (tokens.refresh_token === undefined) {
    throw new AppError(
      'no_refresh_token',
      'The provider gave no refresh token, so the access token cannot be renewed.',
    )
  }
  const as = refreshServer(profile, endpoints)
  const refreshToken = tokens.refresh_token
  try {
    return await retryOnNonce(async () => {
      const response = await oauth.refreshTokenGrantRequest(
        as,
        endpoints.client,
        clientAuth(endpoints),
        refreshToken,
        {
          ...requestOptions(as.token_endpoint, options.fetch),
          ...(options.dpop !== undefined ? { DPoP: options.dpop } : {}),
          ...(wantsScopeOnRefresh(as.token_endpoint) && profile.scope !== ''
            ? { additionalParameters: { scope: profile.scope } }
            : {}),
        },
      )
      const receivedAt = options.now()
      const answer = await oauth.processRefreshTokenResponse(as, endpoints.client, response)
      return toStoredTokens(answer, receivedAt, tokens)
    })
  } catch (cause) {
    throw toAppError(cause, 'refresh request')
  }
}
