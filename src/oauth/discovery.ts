import * as oauth from 'oauth4webapi'
import { endpointProblem } from '../profiles/url-rule'
import { AppError, toAppError } from './errors'
import { requestOptions } from './server'

const METADATA_ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'end_session_endpoint',
  'jwks_uri',
] as const

/**
 * Holds discovered endpoints to the profile's URL rule (`https:`, or `http:` on loopback): the
 * metadata is the provider's word, and a `javascript:` or plain-http endpoint would otherwise be
 * navigated to or sent tokens.
 */
function checkEndpoints(metadata: oauth.AuthorizationServer): oauth.AuthorizationServer {
  const problems = METADATA_ENDPOINTS.flatMap((field) => {
    const value = metadata[field]
    const problem = value === undefined ? undefined : endpointProblem(value)
    return problem === undefined ? [] : [`"${field}" ${problem}`]
  })
  if (problems.length > 0) {
    throw new AppError(
      'discovery_failed',
      `The provider's metadata was refused: ${problems.join('; ')}.`,
      'Check the Issuer; a provider must publish https: endpoints.',
    )
  }
  return metadata
}

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
      return checkEndpoints(await oauth.processDiscoveryResponse(issuerUrl, response))
    } catch (cause) {
      if (cause instanceof AppError) throw cause
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
