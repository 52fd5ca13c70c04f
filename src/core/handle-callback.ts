import type * as oauth from 'oauth4webapi'
import { completeAuthorization, readCallback, withoutCallbackParams } from './protocol/callback'
import { completeEndSession, isLogoutReturn } from './protocol/end-session'
import { clockSkewError } from './protocol/errors'
import { checkIdTokenSignature } from './protocol/id-token'
import type { DpopKey } from './protocol/dpop'
import type { Endpoints } from './protocol/server'
import { isPendingLogin, pendingLoginProfile } from './protocol/transient'
import type { Profile } from './profile/types'
import { MAX_TRUSTED_SKEW_MS } from './jwt/expiry'
import type { JwksCache } from './jwt/jwks'
import type { TokenGetter } from './refresh/token-getter'
import type { StoredTokens } from './storage/token-store'
import type { AuthEnvironment } from './environment'
import { toAuthError } from './auth-error'
import type { Emitter } from './events'
import type { TimelineStep } from './record'
import type { AuthEvents } from './types'

/** What completing a callback needs from its client. */
export interface CallbackContext {
  profile: Profile
  env: AuthEnvironment
  events: Emitter<AuthEvents>
  getter: TokenGetter
  redirectUri: string
  endpointsOf(): Promise<Endpoints>
  fetchFor(step: TimelineStep): typeof fetch
  /** The fetch for the ID token's keys (timed, not recorded). */
  keysFetch: typeof fetch
  jwksCache: JwksCache
  /** Whether tokens another server issued under this profile id are deleted at load. */
  forgetForeign: boolean
  /** Takes the DPoP key saved for the login with `state` (and its handle), if there is one. */
  dpopKeyOf(state: string): Promise<{ key: DpopKey; handle: oauth.DPoPHandle } | undefined>
}

/**
 * This page load's callback parameters when they answer a login or logout of this client's
 * profile (or of no login this tab knows: then the callback's own checks report it).
 */
function ownCallback(ctx: CallbackContext): URLSearchParams | undefined {
  const params = readCallback(ctx.env.location())
  const state = params?.get('state')
  if (params === undefined || state === null || state === undefined) return params
  const owner = pendingLoginProfile(ctx.env.transientStorage, state)
  return owner === undefined || owner === ctx.profile.id ? params : undefined
}

/**
 * Completes this client's callback, if the page carries one: the code exchanged and its tokens
 * stored, or a logout return recorded; otherwise loads the stored session. Resolves with the
 * tokens a callback brought.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.4
 */
export async function handleCallback(ctx: CallbackContext): Promise<StoredTokens | undefined> {
  const { env, getter } = ctx
  const load = () => getter.load({ forgetForeign: ctx.forgetForeign })
  const params = ownCallback(ctx)
  if (params === undefined) {
    await load()
    return undefined
  }
  env.replaceUrl(withoutCallbackParams(env.location()))
  if (isLogoutReturn(params, (state) => isPendingLogin(env.transientStorage, state))) {
    completeEndSession(env.transientStorage, params, env.now())
    await load()
    return undefined
  }
  let endpoints: Endpoints | undefined
  try {
    const state = params.get('state')
    const dpop =
      ctx.profile.dpop === true && state !== null ? await ctx.dpopKeyOf(state) : undefined
    const { tokens, clockSkewMs } = await completeAuthorization(params, {
      ...(dpop !== undefined ? { dpop } : {}),
      storage: env.transientStorage,
      now: () => env.now(),
      redirectUri: ctx.redirectUri,
      fetch: ctx.fetchFor('code exchange'),
      resolve: async (_profileId, startedAt, record) => {
        endpoints = await ctx.endpointsOf()
        const authorize = endpoints.as.authorization_endpoint
        if (record.pushed !== undefined) {
          ctx.events.emit('request', {
            at: record.pushed.at,
            step: 'pushed authorization request',
            method: 'POST',
            url: record.pushed.url,
            note: 'before the redirect: the browser then left with only client_id and request_uri',
          })
        }
        ctx.events.emit('request', {
          at: startedAt,
          step: 'authorize redirect',
          method: 'GET',
          ...(authorize !== undefined ? { url: authorize } : {}),
        })
        ctx.events.emit('request', {
          at: env.now(),
          step: 'callback',
          note: `parameters: ${[...params.keys()].join(', ')}`,
        })
        return { profile: ctx.profile, endpoints }
      },
    })
    // Before anything is stored: the ID token must be signed by the provider's keys.
    if (endpoints !== undefined) {
      await checkIdTokenSignature(tokens.id_token, ctx.profile, endpoints, {
        fetch: ctx.keysFetch,
        now: env.now(),
        jwksCache: ctx.jwksCache,
      })
    }
    if (clockSkewMs !== undefined && Math.abs(clockSkewMs) > MAX_TRUSTED_SKEW_MS) {
      ctx.events.emit('warning', { error: toAuthError(clockSkewError(clockSkewMs)) })
    }
    await getter.load({ forgetForeign: true })
    await getter.set(tokens)
    return getter.current()
  } catch (cause) {
    await load()
    throw cause
  }
}
