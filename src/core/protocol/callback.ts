import * as oauth from 'oauth4webapi'
import type { Profile } from '../profile/types'
import type { StoredTokens } from '../storage/token-store'
import { retryOnNonce, type DpopSession } from './dpop'
import { AppError, toAppError } from './errors'
import { sameSpelledApart } from './oauth-errors'
import { clientAuth, requestOptions } from './oauth-options'
import type { Endpoints } from './server'
import { estimateSkew, MAX_CORRECTED_SKEW_MS, MAX_TRUSTED_SKEW_MS } from '../jwt/expiry'
import { toStoredTokens } from './token-response'
import { serverFingerprint } from '../profile/server-fingerprint'
import {
  hasPendingLogins,
  takeTransient,
  TRANSIENT_TTL_MS,
  type TransientRecord,
  type TransientStorage,
} from './transient'

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

/**
 * The mix-up defence (RFC 9207 §2.4, RFC 9700 §4.4), judged against the login record alone: every
 * profile shares the app's redirect URI, so a callback's `iss` is the only sign of which server
 * answered. A callback naming an issuer is refused unless the login was started for exactly that
 * issuer, one the profile could vouch for (`confirmedIssuer`); a missing `iss` is refused when that
 * issuer promised it. Checked before any `error` in the callback is believed.
 */
export function checkCallbackIssuer(params: URLSearchParams, record: TransientRecord): void {
  const iss = params.get('iss')
  if (iss === null) {
    if (record.iss_required === true) {
      throw new AppError(
        'iss_mismatch',
        `The callback has no issuer (iss), although ${String(record.issuer)} always sends one (RFC 9207); it may come from another provider, so nothing was exchanged.`,
      )
    }
    return
  }
  if (record.issuer === undefined) {
    throw new AppError(
      'iss_mismatch',
      `The callback says it comes from ${iss}, but this login's profile names no issuer it can vouch for, so the answer may be another provider's (a mix-up attack, RFC 9207); nothing was exchanged.`,
      { detail: { url: iss } },
    )
  }
  if (iss !== record.issuer) {
    // Only a trailing slash apart: the profile's Issuer is written differently, not another
    // provider; the hint may then say to write it as the provider does. Any other difference is
    // treated as what it may be, a mix-up.
    throw new AppError(
      'iss_mismatch',
      `The callback says it comes from ${iss}, not from ${record.issuer} where this login began; it may be another provider's answer (a mix-up attack, RFC 9207), so nothing was exchanged.`,
      sameSpelledApart(iss, record.issuer) ? { detail: { url: iss, field: 'issuer' } } : {},
    )
  }
}

/**
 * Refuses a callback whose profile no longer talks to the server the login began with (edited or
 * re-imported in the meantime, here or in another tab): the code and verifier go only to the
 * token endpoint the login record names.
 */
function checkSameServer(record: TransientRecord, profile: Profile, endpoints: Endpoints): void {
  const changed =
    (record.server !== undefined && record.server !== serverFingerprint(profile)) ||
    (record.token_endpoint !== undefined &&
      record.token_endpoint !== endpoints.as.token_endpoint) ||
    record.issuer !== endpoints.confirmedIssuer
  if (changed) {
    throw new AppError(
      'profile_changed',
      `The profile "${profile.name}" was changed while this login was in progress: it no longer names the server the login began with, so nothing was exchanged.`,
    )
  }
}

/** The profile and endpoints a callback needs, looked up by the record's profile id. */
export type ProfileResolver = (
  profileId: string,
  /** When the login began (the transient record's time), for the timeline. */
  startedAt: number,
  /** The login record itself (taken from storage, checked against the callback). */
  record: TransientRecord,
) => Promise<{ profile: Profile; endpoints: Endpoints }>

/**
 * Finishes a login: finds the transient record by `state` (deleting it), validates the
 * authorization response (state, RFC 9207 `iss` before any `error` is believed), exchanges the code
 * from the browser and validates the token answer and ID token claims. With DPoP, `dpopKeyOf`
 * takes the key this login was started with out of storage (called only once `state` matched this
 * tab's login record, so a callback cannot spend another login's key): the exchange carries its
 * proof, is retried once on `use_dpop_nonce`, and the tokens are stored bound to it.
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
    fetch: typeof fetch
    dpopKeyOf?: (state: string) => Promise<DpopSession | undefined>
  },
): Promise<{ profile: Profile; tokens: StoredTokens; startedAt: number; clockSkewMs?: number }> {
  const state = params.get('state')
  const record = state === null ? undefined : takeTransient(options.storage, state)
  if (record === undefined) {
    if (state !== null && hasPendingLogins(options.storage)) {
      throw new AppError(
        'state_mismatch',
        "The callback's state does not match the login started in this tab; nothing was exchanged.",
      )
    }
    throw new AppError(
      'no_pending_login',
      'There is no pending login in this tab for this callback (it was already used, opened in another browser, or its tab was closed); nothing was exchanged.',
    )
  }
  if (!(options.now() - record.created_at < TRANSIENT_TTL_MS)) {
    throw new AppError(
      'login_expired',
      'This login was started more than 10 minutes ago and has expired.',
    )
  }
  checkCallbackIssuer(params, record)
  // Read while the endpoints are resolved; its failure is reported once a DPoP profile awaits it.
  const pendingKey = options.dpopKeyOf?.(record.state)
  pendingKey?.catch(() => undefined)
  const { profile, endpoints } = await options.resolve(record.profile_id, record.created_at, record)
  checkSameServer(record, profile, endpoints)
  // The metadata may have promised `iss` since the login began: a callback without it is refused
  // all the same (RFC 9207 §2.4).
  if (endpoints.as.authorization_response_iss_parameter_supported === true) {
    checkCallbackIssuer(params, { ...record, iss_required: true })
  }
  const dpop = profile.dpop === true ? await pendingKey : undefined
  if (profile.dpop === true && dpop === undefined) {
    throw new AppError(
      'no_pending_login',
      'The DPoP key this login was started with is gone (site data was cleared meanwhile), so the code cannot be exchanged for tokens bound to it; nothing was exchanged.',
    )
  }
  const { client } = endpoints
  // `iss` is judged here, not by oauth4webapi: its own check refuses with an INVALID_RESPONSE that
  // does not say which parameter failed. Given the same issuer and promise, it never fires.
  const as: oauth.AuthorizationServer = {
    ...endpoints.as,
    issuer: record.issuer ?? endpoints.as.issuer,
  }
  try {
    const validated = oauth.validateAuthResponse(as, client, params, record.state)
    // The code is not spent by an answer asking for a nonce (RFC 9449 §8): it may be sent again.
    const { answer, receivedAt } = await retryOnNonce(async () => {
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth(endpoints),
        validated,
        profile.redirect_uri ?? options.redirectUri,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- the secret-based flow without PKCE
        profile.pkce ? record.verifier : oauth.nopkce,
        {
          ...requestOptions(as.token_endpoint, options.fetch),
          ...(dpop !== undefined ? { DPoP: dpop.handle } : {}),
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
      try {
        return { answer: await process(response, 0), receivedAt }
      } catch (cause) {
        // A device clock hours off fails the ID token's time checks. Judge them by the provider's
        // clock instead (its `iat` as received), once, and report the skew.
        const skew = await timestampSkew(cause, copy.clone(), receivedAt)
        if (skew === undefined) throw cause
        return { answer: await process(copy, Math.round(skew / 1000)), receivedAt }
      }
    })
    const clockSkewMs = estimateSkew([answer.id_token, answer.access_token], receivedAt)
    return {
      profile,
      // Stamped with the server the exchange went to (checked against the profile above), so a
      // profile re-pointed meanwhile in another tab cannot adopt them.
      tokens: {
        ...toStoredTokens(answer, receivedAt, undefined, dpop?.key),
        server: serverFingerprint(profile),
      },
      startedAt: record.created_at,
      ...(clockSkewMs !== undefined ? { clockSkewMs } : {}),
    }
  } catch (cause) {
    throw toAppError(cause, 'token request')
  }
}
