import { completeAuthorization } from './protocol/callback'
import { completeEndSession, isLogoutReturn } from './protocol/end-session'
import { clockSkewError } from './protocol/errors'
import { checkIdTokenSignature, prefetchIdTokenKeys } from './protocol/id-token'
import type { Endpoints } from './protocol/server'
import { isPendingLogin } from './protocol/transient'
import { MAX_TRUSTED_SKEW_MS } from './jwt/expiry'
import type { StoredTokens } from './storage/token-store'
import { toAuthError } from './auth-error'
import type { CallbackContext } from './handle-callback'

/**
 * The callback's own work, loaded on demand: a logout return recorded, or the code exchanged,
 * the ID token's signature checked and the tokens stored. `load` reads the stored session.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.4
 */
export async function completeCallback(
  ctx: CallbackContext,
  params: URLSearchParams,
  load: () => Promise<unknown>,
): Promise<StoredTokens | undefined> {
  const { env, getter } = ctx
  if (isLogoutReturn(params, (state) => isPendingLogin(env.transientStorage, state))) {
    completeEndSession(env.transientStorage, params, env.now())
    await load()
    return undefined
  }
  let endpoints: Endpoints | undefined
  // Started with the exchange, awaited before the tokens are checked and stored: the stored
  // session (reading IndexedDB) and, when an ID token is expected, jose and the provider's keys.
  const loaded = load()
  loaded.catch(() => undefined)
  let keysReady: Promise<void> | undefined
  try {
    const { tokens, clockSkewMs } = await completeAuthorization(params, {
      ...(ctx.profile.dpop === true ? { dpopKeyOf: (state: string) => ctx.dpopKeyOf(state) } : {}),
      storage: env.transientStorage,
      now: () => env.now(),
      redirectUri: ctx.redirectUri,
      fetch: ctx.fetchFor('code exchange'),
      resolve: async (_profileId, startedAt, record) => {
        endpoints = await ctx.endpointsOf()
        if (record.nonce !== undefined) {
          keysReady = prefetchIdTokenKeys(endpoints, {
            fetch: ctx.keysFetch,
            now: env.now(),
            jwksCache: ctx.jwksCache,
          }).catch(() => undefined)
        }
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
    await keysReady
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
    await loaded
    // The new tokens replace whatever this profile id held, another server's included.
    if (!ctx.forgetForeign) await getter.load({ forgetForeign: true })
    await getter.set(tokens)
    return getter.current()
  } catch (cause) {
    // The callback's own error is the one to report, even when the stored session is unreadable.
    await loaded.catch(() => undefined)
    throw cause
  }
}
