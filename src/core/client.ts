import { startAuthorization } from './protocol/authorize'
import { completeAuthorization, readCallback, withoutCallbackParams } from './protocol/callback'
import { pkceWarning } from './protocol/discovery'
import { completeEndSession, isLogoutReturn, startEndSession } from './protocol/end-session'
import { refreshTokens } from './protocol/refresh'
import { revokeTokens } from './protocol/revoke'
import type { Endpoints } from './protocol/server'
import { isPendingLogin, pendingLoginProfile } from './protocol/transient'
import { serverFingerprint } from './profile/server-fingerprint'
import type { Profile } from './profile/types'
import { validateProfile } from './profile/validate'
import { checkIdTokenSignature, checkRefreshedIdToken } from './protocol/id-token'
import { resolveEndpoints } from './protocol/endpoints'
import { createTokenGetter, type TokenEvent } from './refresh/token-getter'
import type { KeyValueStore } from './storage/kv'
import type { JwksCache } from './jwt/jwks'
import { AuthError, toAuthError } from './auth-error'
import { authorizedFetch } from './authorized-fetch'
import { browserEnvironment } from './browser'
import type { AuthEnvironment } from './environment'
import { createEmitter } from './events'
import { forwardTokenEvent, requestRecorder, withTimeout } from './requests'
import { toTokens } from './tokens'
import type { AuthClient, AuthClientOptions, AuthEvents } from './types'

/** Rejections keep the library's own error type, whatever failed underneath. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (cause) {
    throw toAuthError(cause)
  }
}

/**
 * Creates the auth client of one profile (the JSON of one `providers.json` entry, checked by the
 * same rules: an invalid one throws `AuthError('invalid_profile')` naming each field). PKCE with
 * S256 (RFC 7636), the code exchanged from the browser, tokens in IndexedDB, one refresh per expiry
 * across tabs (a Web Lock and a BroadcastChannel), RFC 7009 revocation at logout.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html
 */
export function createAuthClient(input: unknown, options: AuthClientOptions = {}): AuthClient {
  const validation = validateProfile(input)
  if (!validation.ok) {
    throw new AuthError(
      'invalid_profile',
      `The profile was refused: ${validation.errors.join('; ')}.`,
    )
  }
  const profile: Profile = validation.profile
  const base = options.environment ?? browserEnvironment(options.namespace)
  const env: AuthEnvironment = {
    ...base,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  }
  const events = createEmitter<AuthEvents>()
  const timeoutMs = options.requestTimeoutMs ?? 15_000
  const jwksCache: JwksCache = new Map()
  const fetchFor = requestRecorder(env, timeoutMs, events)
  const timedFetch = withTimeout(env.fetch, timeoutMs, env.timers)
  const redirectUri = () => {
    const here = env.location()
    return profile.redirect_uri ?? here.origin + here.pathname
  }

  const storeReady: Promise<KeyValueStore> = options.storage
    ? Promise.resolve({ kind: 'indexeddb', ...options.storage })
    : env.openStore()
  const endpointsOf = async (): Promise<Endpoints> =>
    (
      await resolveEndpoints(profile, await storeReady, {
        fetch: fetchFor('discovery'),
        now: env.now(),
      })
    ).endpoints

  const onEvent = (event: TokenEvent) => {
    forwardTokenEvent(event, events)
  }

  const channel = env.openChannel?.()
  const getterReady = storeReady.then((store) =>
    createTokenGetter({
      profileId: profile.id,
      server: serverFingerprint(profile),
      lockPrefix: env.namespace,
      store,
      now: () => env.now(),
      timers: env.timers,
      ...(env.locks ? { locks: env.locks } : {}),
      ...(channel ? { channel } : {}),
      ...(options.refreshMarginMs !== undefined ? { marginMs: options.refreshMarginMs } : {}),
      onEvent,
      refresh: async (tokens) => {
        const endpoints = await endpointsOf()
        const next = await refreshTokens(profile, endpoints, tokens, {
          now: () => env.now(),
          fetch: fetchFor('refresh'),
        })
        checkRefreshedIdToken(tokens, next)
        if (next.id_token !== tokens.id_token) {
          await checkIdTokenSignature(next.id_token, profile, endpoints, {
            fetch: timedFetch,
            now: env.now(),
            jwksCache,
          })
        }
        return next
      },
    }),
  )
  let current: Awaited<typeof getterReady> | undefined
  void getterReady.then((getter) => {
    current = getter
    channel?.subscribe((message) => void getter.receive(message))
  })
  const stopVisible = env.onVisible?.(() => current?.check())

  /** This page load's callback parameters when they answer a login or logout of this client. */
  const ownCallback = (): URLSearchParams | undefined => {
    const params = readCallback(env.location())
    const state = params?.get('state')
    if (params === undefined || state === null || state === undefined) return params
    const owner = pendingLoginProfile(env.transientStorage, state)
    return owner === undefined || owner === profile.id ? params : undefined
  }

  return {
    handleCallback: () =>
      guarded(async () => {
        const getter = await getterReady
        const params = ownCallback()
        if (params === undefined) {
          await getter.load({ forgetForeign: true })
          return undefined
        }
        env.replaceUrl(withoutCallbackParams(env.location()))
        if (isLogoutReturn(params, (state) => isPendingLogin(env.transientStorage, state))) {
          completeEndSession(env.transientStorage, params, env.now())
          await getter.load({ forgetForeign: true })
          return undefined
        }
        let endpoints: Endpoints | undefined
        try {
          const { tokens } = await completeAuthorization(params, {
            storage: env.transientStorage,
            now: () => env.now(),
            redirectUri: redirectUri(),
            fetch: fetchFor('code exchange'),
            resolve: async () => {
              endpoints = await endpointsOf()
              return { profile, endpoints }
            },
          })
          if (endpoints !== undefined) {
            await checkIdTokenSignature(tokens.id_token, profile, endpoints, {
              fetch: timedFetch,
              now: env.now(),
              jwksCache,
            })
          }
          await getter.load({ forgetForeign: true })
          await getter.set(tokens)
          const stored = getter.current()
          return stored ? toTokens(stored) : undefined
        } catch (cause) {
          await getter.load({ forgetForeign: true })
          throw cause
        }
      }),

    login: (loginOptions = {}) =>
      guarded(async () => {
        const endpoints = await endpointsOf()
        const warning = pkceWarning(endpoints.as)
        if (warning !== undefined) throw new AuthError('pkce_unsupported', warning)
        const url = await startAuthorization(profile, endpoints, {
          storage: env.transientStorage,
          redirectUri: redirectUri(),
          now: env.now(),
        })
        if (loginOptions.navigate !== false) env.navigate(url.href)
        return url
      }),

    tokens: () => {
      const stored = current?.current()
      return stored ? toTokens(stored) : undefined
    },

    getToken: () => guarded(async () => (await getterReady).get()),

    fetch: (request, init) =>
      guarded(async () =>
        authorizedFetch(new Request(request, init), {
          getter: await getterReady,
          profile,
          endpoints: await endpointsOf(),
          fetch: fetchFor('API call'),
          ...(options.onUnknownOrigin ? { onUnknownOrigin: options.onUnknownOrigin } : {}),
        }),
      ),

    refresh: () => guarded(async () => toTokens(await (await getterReady).refreshNow())),

    logout: (logoutOptions = {}) =>
      guarded(async () => {
        const tokens = await (await getterReady).signOut()
        if (tokens === undefined) return
        // The local logout is done: a provider that cannot be reached now does not undo it (the
        // revocation outcome is in the `request` events).
        const endpoints = await endpointsOf().catch(() => undefined)
        if (endpoints === undefined) return
        await revokeTokens(endpoints, tokens, fetchFor('revocation'))
        const endSession = endpoints.as.end_session_endpoint
        if (logoutOptions.endSession === true && endSession !== undefined) {
          const url = startEndSession(endSession, {
            storage: env.transientStorage,
            profileId: profile.id,
            clientId: profile.client_id,
            idTokenHint: tokens.id_token,
            postLogoutRedirectUri: redirectUri(),
            now: env.now(),
          })
          env.navigate(url.href)
        }
      }),

    on: (name, listener) => events.on(name, listener),

    dispose: () => {
      current?.dispose()
      void getterReady.then((getter) => {
        getter.dispose()
      })
      channel?.close()
      stopVisible?.()
      events.clear()
    },
  }
}
