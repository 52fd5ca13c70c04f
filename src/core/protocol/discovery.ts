import * as oauth from 'oauth4webapi'
import { endpointProblem } from '../profile/url-rule'
import { AppError, toAppError } from './errors'
import { requestOptions } from './oauth-options'

const METADATA_ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'end_session_endpoint',
  'jwks_uri',
  'pushed_authorization_request_endpoint',
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
    return problem === undefined ? [] : [{ field, problem }]
  })
  const first = problems[0]
  if (first !== undefined) {
    throw new AppError(
      'discovery_failed',
      `The provider's metadata was refused: ${problems.map((p) => `"${p.field}" ${p.problem}`).join('; ')}.`,
      { detail: { step: 'discovery', field: first.field } },
    )
  }
  return metadata
}

/** What one discovery attempt got, in words, and whether an answer reached the app. */
interface Attempt {
  url: string
  outcome: string
  kind: 'redirect' | 'answer' | 'network' | 'timeout'
  cause?: unknown
}

/**
 * Describes an answer that is not metadata. With `redirect: 'manual'` (oauth4webapi's default) a
 * browser gives script an opaque redirect (status 0, no headers, RFC 9110 §15.4 `Location`
 * hidden); a non-browser fetch shows the 3xx and its `Location`.
 */
function answerAttempt(url: string, response: Response): Attempt | undefined {
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    const location = response.headers.get('location')
    const where =
      location === null
        ? ' (the browser does not let the app see where to)'
        : ` to ${new URL(location, url).href}`
    return {
      url,
      outcome: `answered with a redirect${where}, which discovery does not follow`,
      kind: 'redirect',
    }
  }
  if (!response.ok) {
    return { url, outcome: `answered HTTP ${String(response.status)}`, kind: 'answer' }
  }
  return undefined
}

/** Describes a request that got no answer: a timeout, or a network failure or CORS refusal. */
function failedAttempt(url: string, cause: unknown): Attempt {
  const error = toAppError(cause, 'discovery request')
  if (error.code === 'timeout')
    return { url, outcome: 'got no answer in time', kind: 'timeout', cause }
  if (error.code === 'cors_blocked') {
    return {
      url,
      outcome: `got no answer the app may read (the network is down, or the provider does not allow requests from this app's origin: CORS)`,
      kind: 'network',
      cause,
    }
  }
  return { url, outcome: `failed: ${error.message}`, kind: 'answer', cause }
}

/** The error for a discovery where no attempt found metadata: every attempt, and what to do. */
function discoveryError(issuer: string, attempts: Attempt[]): AppError {
  const message = `Discovery at ${issuer} failed: ${attempts.map((a) => `${a.url} ${a.outcome}`).join('; ')}.`
  const expected = attempts[0]?.url ?? issuer
  const last = attempts.at(-1)?.cause
  const detail = { step: 'discovery', url: expected } as const
  if (attempts.every((a) => a.kind === 'network')) {
    return new AppError('cors_blocked', message, { cause: last, detail })
  }
  if (attempts.every((a) => a.kind === 'network' || a.kind === 'timeout')) {
    return new AppError('timeout', message, { cause: last, detail })
  }
  // Said in the message, not only in the hint: the fallback alert keeps the message only.
  if (attempts.some((a) => a.kind === 'redirect')) {
    return new AppError(
      'discovery_failed',
      `${message} The provider must serve discovery at exactly ${expected}, without a redirect.`,
      { cause: last, detail: { ...detail, redirected: true } },
    )
  }
  return new AppError('discovery_failed', message, { cause: last, detail })
}

/**
 * Fetches the provider's metadata: OpenID Connect Discovery first, then RFC 8414. oauth4webapi
 * refuses metadata whose `issuer` differs from the one asked for (RFC 8414 §3.3), which is the
 * mix-up defence; that refusal is final, a missing document falls through to the next algorithm.
 * When both fail, the error names what each attempt got (a redirect, an HTTP status, no answer),
 * not only the last one: a redirect at the first URL is what the user must hear about.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-3.3
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest
 */
export async function discover(
  issuer: string,
  fetchImpl: typeof fetch,
): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer)
  const attempts: Attempt[] = []
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    let url = issuer
    // oauth4webapi builds the well-known URL; this wrapper learns it to name it in the error.
    const capturing: typeof fetch = (input, init) => {
      url = input instanceof Request ? input.url : String(input)
      return fetchImpl(input, init)
    }
    let response: Response
    try {
      response = await oauth.discoveryRequest(issuerUrl, {
        ...requestOptions(issuer, capturing),
        algorithm,
      })
    } catch (cause) {
      attempts.push(failedAttempt(url, cause))
      continue
    }
    const refused = answerAttempt(url, response)
    if (refused !== undefined) {
      attempts.push(refused)
      continue
    }
    try {
      return checkEndpoints(await oauth.processDiscoveryResponse(issuerUrl, response))
    } catch (cause) {
      if (cause instanceof AppError) throw cause
      // oauth4webapi compares the metadata's `issuer` (JSON_ATTRIBUTE_COMPARISON on `issuer`).
      const refused = toAppError(cause, 'discovery request')
      if (refused.code === 'issuer_mismatch') {
        const named = namedIssuer(cause)
        throw new AppError(
          'issuer_mismatch',
          named === undefined
            ? `The provider's metadata names a different issuer than ${issuer}; it was refused (RFC 8414 §3.3).`
            : `The provider's metadata names the issuer ${JSON.stringify(named)}, not ${issuer}; it was refused (RFC 8414 §3.3).`,
          { cause, detail: { ...refused.detail, ...(named !== undefined ? { url: named } : {}) } },
        )
      }
      const text = cause instanceof Error ? cause.message : String(cause)
      attempts.push({
        url,
        outcome: `answered with no valid metadata (${text})`,
        kind: 'answer',
        cause,
      })
    }
  }
  throw discoveryError(issuer, attempts)
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The metadata oauth4webapi refused: the body its error's `cause` keeps. */
function refusedBody(cause: unknown): Record<string, unknown> | undefined {
  if (!(cause instanceof Error) || !isRecord(cause.cause)) return undefined
  const body = cause.cause.body
  return isRecord(body) ? body : undefined
}

/** The `issuer` the refused metadata named. */
function namedIssuer(cause: unknown): string | undefined {
  const named = refusedBody(cause)?.issuer
  return typeof named === 'string' ? named.slice(0, 300) : undefined
}

/**
 * The metadata discovery refused for naming another issuer (`issuer_mismatch`), so the rest of
 * it can still be audited. Undefined for any other error.
 */
export function refusedMetadata(error: unknown): oauth.AuthorizationServer | undefined {
  if (!(error instanceof AppError) || error.code !== 'issuer_mismatch') return undefined
  return refusedBody(error.cause) as oauth.AuthorizationServer | undefined
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
