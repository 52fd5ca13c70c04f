import * as oauth from 'oauth4webapi'
import type { StoredTokens } from '../storage/token-store'
import { toAppError, type AppError } from './errors'
import { requestOptions, type Endpoints } from './server'

/**
 * Revokes the refresh token, then the access token (RFC 7009), when the provider has a revocation
 * endpoint. Never throws: logout completes locally whatever the provider answers; the failures are
 * returned so they can be reported.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2
 */
export async function revokeTokens(
  endpoints: Endpoints,
  tokens: StoredTokens,
  fetchImpl?: typeof fetch,
): Promise<AppError[]> {
  const endpoint = endpoints.as.revocation_endpoint
  if (endpoint === undefined) return []
  const failures: AppError[] = []
  const revoke = async (token: string, hint: 'refresh_token' | 'access_token') => {
    try {
      const response = await oauth.revocationRequest(
        endpoints.as,
        endpoints.client,
        endpoints.clientAuth,
        token,
        {
          ...requestOptions(endpoint, fetchImpl),
          additionalParameters: { token_type_hint: hint },
        },
      )
      await oauth.processRevocationResponse(response)
    } catch (cause) {
      failures.push(toAppError(cause, 'revocation request'))
    }
  }
  // The refresh token first: revoking it ends the grant, so a stolen copy is worthless.
  if (tokens.refresh_token !== undefined) await revoke(tokens.refresh_token, 'refresh_token')
  await revoke(tokens.access_token, 'access_token')
  return failures
}
