import * as oauth from 'oauth4webapi'
import type { StoredTokens } from '../storage/token-store'
import { toAppError, type AppError } from './errors'
import { clientAuth, requestOptions } from './oauth-options'
import type { Endpoints } from './server'

/** What Log out's revocation did: the endpoint (none when the provider names none) and each token. */
export interface RevocationOutcome {
  endpoint: string | undefined
  /** Whether there was a refresh token to revoke (it outlives the access token). */
  hadRefreshToken: boolean
  /** One entry per token sent, in order; `error` when the provider did not confirm it. */
  results: { token: 'refresh token' | 'access token'; error?: AppError }[]
}

/**
 * Revokes the refresh token, then the access token (RFC 7009), when the provider has a revocation
 * endpoint. Never throws: logout completes locally whatever the provider answers; the outcome says
 * what was sent and answered, so it can be reported truthfully.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2
 */
export async function revokeTokens(
  endpoints: Endpoints,
  tokens: StoredTokens,
  fetchImpl: typeof fetch,
): Promise<RevocationOutcome> {
  const endpoint = endpoints.as.revocation_endpoint
  const hadRefreshToken = tokens.refresh_token !== undefined
  const results: RevocationOutcome['results'] = []
  if (endpoint === undefined) return { endpoint, hadRefreshToken, results }
  const revoke = async (token: string, hint: 'refresh_token' | 'access_token') => {
    const name = hint === 'refresh_token' ? 'refresh token' : 'access token'
    try {
      const response = await oauth.revocationRequest(
        endpoints.as,
        endpoints.client,
        clientAuth(endpoints),
        token,
        {
          ...requestOptions(endpoint, fetchImpl),
          additionalParameters: { token_type_hint: hint },
        },
      )
      await oauth.processRevocationResponse(response)
      results.push({ token: name })
    } catch (cause) {
      results.push({ token: name, error: toAppError(cause, 'revocation request') })
    }
  }
  // The refresh token first: revoking it ends the grant, so a stolen copy is worthless.
  if (tokens.refresh_token !== undefined) await revoke(tokens.refresh_token, 'refresh_token')
  await revoke(tokens.access_token, 'access_token')
  return { endpoint, hadRefreshToken, results }
}

/**
 * The timeline's note after Log out: exactly what was revoked and what the provider answered. No
 * revocation endpoint means nothing was sent, and the refresh token stays usable (RFC 7009 §2 is
 * the only way a public client can end it), which the user must hear.
 */
export function revocationNote(outcome: RevocationOutcome | AppError): string {
  if (!('results' in outcome)) return `signed out locally; revocation: ${outcome.displayCode}`
  if (outcome.endpoint === undefined) {
    return outcome.hadRefreshToken
      ? 'not revoked: the provider names no revocation endpoint; the refresh token stays valid until it expires or you revoke the app at the provider'
      : 'not revoked: the provider names no revocation endpoint; the access token stays valid until it expires'
  }
  // processRevocationResponse accepts only HTTP 200 (RFC 7009 §2.2).
  const each = outcome.results.map(({ token, error }) =>
    error === undefined ? `${token} revoked (200)` : `${token} not revoked (${error.displayCode})`,
  )
  return outcome.results.every((result) => result.error === undefined)
    ? `signed out; revoked at the provider: ${each.join(', ')}`
    : `signed out locally; revocation: ${each.join(', ')}`
}
