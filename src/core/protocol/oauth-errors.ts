import * as oauth from 'oauth4webapi'
import { AppError, type AppErrorDetail } from './app-error'
import { redactCause } from './redact-cause'

/** The structured `cause` oauth4webapi attaches to its errors, read without trusting its shape. */
type Structured = Record<string, unknown>

const isStructured = (value: unknown): value is Structured =>
  typeof value === 'object' && value !== null && !(value instanceof Response)

const stringField = (cause: Structured, name: string): string | undefined =>
  typeof cause[name] === 'string' ? cause[name] : undefined

/**
 * What an oauth4webapi error's `cause` says failed: an ID token (its `claims` or `header`, or the
 * compact JWT itself), an attribute of the answer's JSON `body`, or the callback's `parameters`.
 * Read from the cause's fields, never from the message.
 */
function failingPart(cause: unknown): 'id_token' | 'answer' | 'callback' | undefined {
  if (typeof cause === 'string') return 'id_token'
  if (!isStructured(cause)) return undefined
  if ('claims' in cause || 'header' in cause || 'alg' in cause) return 'id_token'
  if ('body' in cause) return 'answer'
  if ('parameters' in cause) return 'callback'
  return undefined
}

/**
 * What an OAuth error answer says beyond `error` and `error_description`: `error_uri` (kept only
 * when it is `https:`, so it can be offered as a link) and Entra's numeric `error_codes`, which
 * tell apart errors that share `invalid_request`.
 */
function providerDetail(body: Structured): { detail?: AppErrorDetail } {
  const detail: AppErrorDetail = {}
  const uri = body.error_uri
  if (typeof uri === 'string' && URL.canParse(uri) && new URL(uri).protocol === 'https:')
    detail.errorUri = uri
  const codes = body.error_codes
  if (Array.isArray(codes)) {
    const numbers = codes.filter((code): code is number => Number.isInteger(code)).slice(0, 10)
    if (numbers.length > 0) detail.providerCodes = numbers
  }
  return Object.keys(detail).length > 0 ? { detail } : {}
}

/** The longest `Retry-After` honoured: a provider asking for more is asked again after this. */
const MAX_RETRY_AFTER_MS = 5 * 60_000

/**
 * A rate-limited or unavailable answer's `Retry-After` (RFC 9110 §10.2.3), when given in seconds
 * (the HTTP-date form is not read: it would need this device's clock to agree with the server's).
 */
function retryAfterMs(response: Response): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined
  const value = response.headers.get('retry-after')?.trim()
  if (value === undefined || !/^\d+$/.test(value)) return undefined
  return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS)
}

function withRetryAfter(
  found: { detail?: AppErrorDetail },
  waitMs: number | undefined,
): { detail?: AppErrorDetail } {
  return waitMs === undefined ? found : { detail: { ...found.detail, retryAfterMs: waitMs } }
}

/** Two issuers a trailing slash apart: one issuer written two ways, not two providers. */
export const sameSpelledApart = (a: string, b: string) =>
  a !== b && a.replace(/\/$/, '') === b.replace(/\/$/, '')

/** An {@link oauth.OperationProcessingError}, classified by its `code` and structured `cause`. */
function fromProcessingError(
  cause: oauth.OperationProcessingError,
  step: string,
): AppError | undefined {
  const message = cause.message
  const inner: unknown = cause.cause
  // The claim (`aud`, `exp`, …) or attribute (`issuer`, `token_endpoint`) oauth4webapi names.
  const field = isStructured(inner)
    ? (stringField(inner, 'claim') ?? stringField(inner, 'attribute'))
    : undefined
  const detail = field !== undefined ? { detail: { field } } : {}
  const status = inner instanceof Response ? inner.status : undefined
  const waitMs = inner instanceof Response ? retryAfterMs(inner) : undefined
  const withStatus = {
    ...(status !== undefined ? { status } : {}),
    ...(waitMs !== undefined ? { detail: { retryAfterMs: waitMs } } : {}),
  }
  const invalidAnswer = () =>
    new AppError(
      'invalid_token_response',
      `The provider's answer to the ${step} is not valid: ${message}.`,
      { cause, ...withStatus, ...detail },
    )
  // The issuer the ID token named, so the hint can say what to set: only when it is the expected
  // one written another way (a trailing slash), never an unrelated issuer.
  const claims = isStructured(inner) && isStructured(inner.claims) ? inner.claims : undefined
  const expected = isStructured(inner) ? stringField(inner, 'expected') : undefined
  const tokenIss = field === 'iss' && claims ? stringField(claims, 'iss') : undefined
  const namedIss =
    tokenIss !== undefined && expected !== undefined && sameSpelledApart(tokenIss, expected)
      ? tokenIss
      : undefined
  const idTokenRefused = () =>
    new AppError('id_token_invalid', `The ID token was refused: ${message}.`, {
      cause,
      ...(namedIss !== undefined ? { detail: { field, url: namedIss.slice(0, 300) } } : detail),
    })
  switch (cause.code) {
    case oauth.JWT_CLAIM_COMPARISON:
    case oauth.JWT_TIMESTAMP_CHECK:
      return idTokenRefused()
    case oauth.INVALID_RESPONSE:
      return failingPart(inner) === 'id_token' ? idTokenRefused() : invalidAnswer()
    case oauth.RESPONSE_IS_NOT_CONFORM: {
      const http = status !== undefined ? `HTTP ${String(status)}` : 'an unexpected status'
      const down = status !== undefined && status >= 500
      return new AppError(
        down ? 'provider_unavailable' : 'invalid_token_response',
        `The ${step} failed: the provider answered ${http} without an OAuth error.`,
        { cause, ...withStatus },
      )
    }
    case oauth.RESPONSE_IS_NOT_JSON:
    case oauth.PARSE_ERROR:
      // PARSE_ERROR names no input (the body, or a part of a JWT in it): either way the answer
      // is not one a client can use.
      return invalidAnswer()
    case oauth.JSON_ATTRIBUTE_COMPARISON:
      if (field === 'issuer') {
        return new AppError(
          'issuer_mismatch',
          `The provider's metadata names a different issuer than the one asked for; it was refused (RFC 8414 §3.3).`,
          { cause, ...detail },
        )
      }
      return invalidAnswer()
    case oauth.MISSING_SERVER_METADATA:
      // The request was never sent: neither the profile nor the metadata names the endpoint.
      return new AppError('invalid_profile', `The ${step} was not sent: ${message}.`, {
        cause,
        ...detail,
      })
    case oauth.INVALID_SERVER_METADATA:
    case oauth.HTTP_REQUEST_FORBIDDEN:
    case oauth.REQUEST_PROTOCOL_FORBIDDEN:
      // Nor here: the endpoint is not a URL, or not https: (http: only on loopback).
      return new AppError('invalid_profile', `The ${step} was not sent: ${message}.`, { cause })
    default:
      return undefined
  }
}

/** An {@link oauth.UnsupportedOperationError}: a token type, JWT or flow oauth4webapi refuses. */
function fromUnsupported(
  cause: oauth.UnsupportedOperationError,
  step: string,
): AppError | undefined {
  const inner: unknown = cause.cause
  const part = failingPart(inner)
  if (part === 'id_token') {
    return new AppError('id_token_invalid', `The ID token was refused: ${cause.message}.`, {
      cause,
    })
  }
  if (part === 'answer' && isStructured(inner) && isStructured(inner.body)) {
    // The only answer attribute oauth4webapi refuses as unsupported is `token_type`.
    const tokenType = stringField(inner.body, 'token_type') ?? '?'
    return new AppError(
      'invalid_token_response',
      `The provider issued a "${tokenType}" token; PKCE Console only uses Bearer tokens.`,
      { cause, detail: { field: 'token_type' } },
    )
  }
  // Without a cause: a callback carrying an ID token or access token (implicit or hybrid flow).
  if (inner === undefined) {
    return new AppError(
      'invalid_token_response',
      `The provider's answer to the ${step} is not valid: ${cause.message}.`,
      { cause },
    )
  }
  return undefined
}

/**
 * Classifies an error of oauth4webapi by its class, its `code` and its structured `cause`,
 * never by its message, which may change in any release; `undefined` when it is not one
 * oauth4webapi threw, or one this app does not expect.
 */
export function fromOAuthError(cause: unknown, step: string): AppError | undefined {
  if (cause instanceof Error) redactCause(cause)
  if (cause instanceof oauth.AuthorizationResponseError) {
    return new AppError('oauth_error', `The provider refused the authorization: ${cause.error}`, {
      cause,
      error: cause.error,
      errorDescription: cause.error_description,
      ...providerDetail(Object.fromEntries(cause.cause)),
    })
  }
  if (cause instanceof oauth.ResponseBodyError) {
    return new AppError(
      'oauth_error',
      `The ${step} was refused (HTTP ${String(cause.status)}): ${cause.error}`,
      {
        cause,
        error: cause.error,
        errorDescription: cause.error_description,
        status: cause.status,
        ...withRetryAfter(providerDetail(cause.cause), retryAfterMs(cause.response)),
      },
    )
  }
  if (cause instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = cause.cause[0]
    const error = challenge?.parameters.error ?? `http_${String(cause.status)}`
    const description = challenge?.parameters.error_description
    return new AppError(
      'oauth_error',
      `The ${step} was refused (HTTP ${String(cause.status)}): ${error}`,
      {
        cause,
        error,
        status: cause.status,
        ...(description !== undefined ? { errorDescription: description } : {}),
      },
    )
  }
  if (cause instanceof oauth.OperationProcessingError) return fromProcessingError(cause, step)
  if (cause instanceof oauth.UnsupportedOperationError) return fromUnsupported(cause, step)
  return undefined
}
