import * as oauth from 'oauth4webapi'
import type { Profile } from '../profiles/types'
import type { StoredTokens } from '../storage/token-store'
import { AppError, toAppError } from './errors'
import { requestOptions, type Endpoints } from './server'
import { estimateSkew, MAX_CORRECTED_SKEW_MS, MAX_TRUSTED_SKEW_MS } from '../tokens/expiry'
import { toStoredTokens } from './token-response'
import {
  hasPendingLogins,
  takeTransient,
  TRANSIENT_TTL_MS,
  type TransientStorage,
} from './transient'

/** Parameters a provider may append to the redirect URI (RFC 6749 §4.1.2, RFC 9207, OIDC). */
const CALLBACK_PARAMS = [
  'code',
  'state',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'session_state',
]

/** The callback parameters of `url`, or `undefined` when this page load is not a callback. */
export function readCallback(url: URL): URLSearchParams | undefined {
  const params = url.searchParams
  return params.has('state') || params.has('code') || params.has('error')
    ? new URLSearchParams(params)
    : undefined
}

/** `url` without the callback parameters: what the address bar shows after a callback. */
export function withoutCallbackParams(url: URL): string {
  const clean = new URL(url)
  for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name)
  return clean.href
}

const START_AGAIN = 'Press Log in to start again.'

/**
 * The provider's clock minus ours (ms) when `cause` is a JWT time check failed by clock skew, to
 * judge the ID token by the provider's clock once. The skew comes from another witness than the
 * token being judged where the answer has one (the access token's `iat`, Doorkeeper's
 * `created_at`), else from the ID token's own `iat`; either way it is tolerated only up to
 * {@link MAX_CORRECTED_SKEW_MS}, so a days-old, expired ID token is refused, not excused.
 */
async function timestampSkew(
  cause: unknown,
  answer: Response,
  receivedAt: number,
): Promise<number | undefined> {
  if (
    !(cause instanceof oauth.OperationProcessingError) ||
    cause.code !== oauth.JWT_TIMESTAMP_CHECK
  ) {
    return undefined
  }
  const body = (await answer.json().catch(() => undefined)) as
    { access_token?: unknown; created_at?: unknown } | undefined
  const accessToken = typeof body?.access_token === 'string' ? body.access_token : undefined
  const witness = estimateSkew([accessToken], receivedAt, body?.created_at)
  const iat = (cause.cause as { claims?: { iat?: unknown } } | undefined)?.claims?.iat
  const skew = witness ?? (typeof iat === 'number' ? iat * 1000 - receivedAt : undefined)
  if (skew === undefined || !Number.isFinite(skew)) return undefined
  return Math.abs(skew) > MAX_TRUSTED_SKEW_MS && Math.abs(skew) <= MAX_CORRECTED_SKEW_MS
    ? skew
    : undefined
}

/** The profile and endpoints a callback needs, looked up by the record's profile id. */
export type ProfileResolver = (
  profileId: string,
  /** When the login began (the transient record's time), for the timeline. */
  startedAt: number,
) => Promise<{ profile: Profile; endpoints: Endpoints }>

/**
 * Finishes a login: finds the transient record by `state` (deleting it), validates the
 * authorization response (state, RFC 9207 `iss` before any `error` is believed), exchanges the code
 * from the browser and validates the token answer and ID token claims.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207.html
 */
export async function completeAuthorization(
  params: URLSearchParams,
  options: {
    storage: TransientStorage
    now: () => number
    resolve: ProfileResolver
    redirectUri: string
    fetch?: typeof fetch
  },
): Promise<{ profile: Profile; tokens: StoredTokens; startedAt: number; clockSkewMs?: number }> {
  const state = params.get('state')
  const record = state === null ? undefined : takeTransient(options.storage, state)
  if (record === undefined) {
    if (state !== null && hasPendingLogins(options.storage)) {
      throw new AppError(
        'state_mismatch',
        "The callback's state does not match the login started in this tab; nothing was exchanged.",
        START_AGAIN,
      )
    }
    throw new AppError(
      'no_pending_login',
      'There is no pending login in this tab for this callback (it was already used, opened in another browser, or its tab was closed); nothing was exchanged.',
      START_AGAIN,
    )
  }
  if (!(options.now() - record.created_at < TRANSIENT_TTL_MS)) {
    throw new AppError(
      'login_expired',
      'This login was started more than 10 minutes ago and has expired.',
      START_AGAIN,
    )
  }
  const { profile, endpoints } = await options.resolve(record.profile_id, record.created_at)
  const { as, client, clientAuth } = endpoints
  if (!endpoints.issuerKnown) params.delete('iss')
  try {
    const validated = oauth.validateAuthResponse(as, client, params, record.state)
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      validated,
      profile.redirect_uri ?? options.redirectUri,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the secret-based flow without PKCE
      profile.pkce ? record.verifier : oauth.nopkce,
      {
        ...requestOptions(as.token_endpoint, options.fetch),
        // Nexus Mods' token endpoint documents `scope` in the code exchange, even when empty.
        ...(profile.preset === 'nexus-mods'
          ? { additionalParameters: { scope: profile.scope } }
          : {}),
      },
    )
    const receivedAt = options.now()
    const process = (answer: Response, skewSeconds: number) =>
      oauth.processAuthorizationCodeResponse(
        as,
        { ...client, [oauth.clockSkew]: skewSeconds },
        answer,
        {
          expectedNonce: record.nonce ?? oauth.expectNoNonce,
        },
      )
    const copy = response.clone()
    let answer: oauth.TokenEndpointResponse
    try {
      answer = await process(response, 0)
    } catch (cause) {
      // A device clock hours off fails the ID token's time checks. Judge them by the provider's
      // clock instead (its `iat` as received), once, and report the skew.
      const skew = await timestampSkew(cause, copy.clone(), receivedAt)
      if (skew === undefined) throw cause
      answer = await process(copy, Math.round(skew / 1000))
    }
    const clockSkewMs = estimateSkew([answer.id_token, answer.access_token], receivedAt)
    return {
      profile,
      tokens: toStoredTokens(answer, receivedAt),
      startedAt: record.created_at,
      ...(clockSkewMs !== undefined ? { clockSkewMs } : {}),
    }
  } catch (cause) {
    throw toAppError(cause, 'token request')
  }
}
