import * as oauth from 'oauth4webapi'
import { AppError, toAppError } from './errors'
import { requestOptions } from './server'

/**
 * Fetches the provider's metadata: OpenID Connect Discovery first, then RFC 8414. oauth4webapi
 * refuses metadata whose `issuer` differs from the one asked for (RFC 8414 §3.3), which is the
 * mix-up defence; that refusal is final, a missing document falls through to the next algorithm.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-3.3
 */
export async function discover(
  issuer: string,
  fetchImpl?: typeof fetch,
): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer)
  let lastError: unknown
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    try {
      const response = await oauth.discoveryRequest(issuerUrl, {
        ...requestOptions(issuer, fetchImpl),
        algorithm,
      })
      return await oauth.processDiscoveryResponse(issuerUrl, response)
    } catch (cause) {
      if (cause instanceof oauth.OperationProcessingError && /"issuer"/.test(cause.message)) {
        throw new AppError(
          'issuer_mismatch',
          `The provider's metadata names a different issuer than ${issuer}; it was refused (RFC 8414 §3.3).`,
          'Check the profile\'s Issuer: it must be exactly the "issuer" of the provider\'s metadata.',
          { cause },
        )
      }
      lastError = cause
    }
  }
  const reason = toAppError(lastError, 'discovery request')
  throw new AppError(
    reason.code === 'cors_blocked' || reason.code === 'timeout' ? reason.code : 'discovery_failed',
    `Discovery at ${issuer} failed: ${reason.message}`,
    reason.code === 'cors_blocked'
      ? reason.hint
      : 'Check the Issuer, or give the endpoints by hand.',
    { cause: lastError },
  )
}

/**
 * A configuration problem to show before any redirect: metadata that lists PKCE methods but not
 * S256 (RFC 7636 §4.2; we never fall back to `plain`).
 */
export function pkceWarning(metadata: oauth.AuthorizationServer | undefined): string | undefined {
  const methods = metadata?.code_challenge_methods_supported
  if (Array.isArray(methods) && !methods.includes('S256')) {
    return `The provider's metadata lists PKCE methods ${JSON.stringify(methods)} without S256; the login may fail. PKCE Console only sends S256.`
  }
  return undefined
}
