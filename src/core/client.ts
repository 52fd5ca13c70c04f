import type { Endpoints } from './protocol/server'
import { serverFingerprint } from './profile/server-fingerprint'
import type { Profile } from './profile/types'
import { validateProfile } from './profile/validate'
import { createTokenGetter, type TokenEvent } from './refresh/token-getter'
import type { KeyValueStore } from './storage/kv'
import type { JwksCache, JwksEntry } from './jwt/jwks'
import { AuthError, toAuthError } from './auth-error'
import { browserEnvironment } from './browser'
import type { ClientContext } from './client-context'
import type { AuthEnvironment } from './environment'
import { createEmitter } from './events'
import { handleCallback } from './handle-callback'
import { readCallback } from './protocol/callback-params'
import { forwardTokenEvent, requestRecorder } from './requests'
import { REQUEST_TIMEOUT_MS, withTimeout } from './timeout'
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
 * across tabs (a Web Lock and a BroadcastChannel), RFC 7009 revocation at logout. It opens the
 * token store at once; the protocol steps load on first use (`login`, a callback, a refresh).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-2.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1
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
  const timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const jwksCache: JwksCache = options.jwksCache ?? new Map<string, JwksEntry>()
  const fetchFor = requestRecorder(env, timeoutMs, events, options.unmaskedRequests === true)
  const keysFetch = withTimeout(env.fetch, timeoutMs, env.timers)
  const redirectUri = () => {
    const here = env.location()
    return profile.redirect_uri ?? here.origin + here.pathname
  }

  const storeReady: Promise<KeyValueStore> = options.storage
    ? Promise.resolve({ kind: 'indexeddb', ...options.storage })
    : env.openStore()
  /** A discovery that failed and fell back to the profile's endpoints is said once. */
  const warned = new WeakSet<object>()
  const endpointsOf = async (): Promise<Endpoints> => {
    const discoveryFetch = fetchFor('discovery')
    const { resolveEndpoints } = await import('./protocol/endpoints')
    const resolved = await resolveEndpoints(profile, await storeReady, {
      fetch: discoveryFetch,
      now: env.now(),
      ...(options.discoveries ? { memory: options.discoveries } : {}),
    })
    if (resolved.fallback !== undefined && !warned.has(resolved.fallback)) {
      warned.add(resolved.fallback)
      events.emit('warning', { error: toAuthError(resolved.fallback) })
    }
    return resolved.endpoints
  }

  const context: ClientContext = {
    profile,
    env,
    store: storeReady,
    endpointsOf,
    fetchFor,
    redirectUri,
  }

  const onEvent = (event: TokenEvent) => {
    forwardTokenEvent(event, events)
  }

  // A callback page needs the exchange's code at once: start loading it with the store.
  if (readCallback(env.location()) !== undefined) {
    void import('./complete-callback')
    void import('./record')
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
      refresh: async (tokens) =>
        (await import('./refresh-session')).refreshSession(tokens, {
          profile,
          endpointsOf,
          now: () => env.now(),
          fetch: fetchFor('refresh'),
          keys: { fetch: keysFetch, jwksCache },
        }),
    }),
  )
  let current: Awaited<typeof getterReady> | undefined
  void getterReady.then((getter) => {
    current = getter
    channel?.subscribe((message) => void getter.receive(message))
  })
  const stopVisible = env.onVisible?.(() => current?.check())

  return {
    handleCallback: () =>
      guarded(async () => {
        const stored = await handleCallback({
          profile,
          env,
          events,
          getter: await getterReady,
          redirectUri: redirectUri(),
          endpointsOf,
          fetchFor,
          keysFetch,
          jwksCache,
          forgetForeign: options.forgetForeignTokens ?? true,
          dpopKeyOf: async (state) => {
            const { dpopSession, takePendingKey } = await import('./protocol/dpop')
            const key = await takePendingKey(await storeReady, profile.id, state)
            return key && dpopSession(key)
          },
        })
        return stored ? toTokens(stored) : undefined
      }),

    login: (loginOptions = {}) =>
      guarded(async () => {
        const [{ login }, endpoints] = await Promise.all([import('./login'), endpointsOf()])
        return login(context, endpoints, loginOptions)
      }),

    tokens: () => {
      const stored = current?.current()
      return stored ? toTokens(stored) : undefined
    },

    getToken: () => guarded(async () => (await getterReady).get()),

    fetch: (request, init) =>
      guarded(async () =>
        (await import('./authorized-fetch')).authorizedFetch(request, init, {
          getter: await getterReady,
          profile,
          endpoints: await endpointsOf(),
          fetch: fetchFor('API call'),
          ...(options.onUnknownOrigin ? { onUnknownOrigin: options.onUnknownOrigin } : {}),
        }),
      ),

    sendsTokenTo: (url) =>
      guarded(async () => {
        const [{ namesOrigin }, endpoints] = await Promise.all([
          import('./authorized-fetch'),
          endpointsOf(),
        ])
        return namesOrigin(profile, endpoints, String(url))
      }),

    refresh: () => guarded(async () => toTokens(await (await getterReady).refreshNow())),

    logout: (logoutOptions = {}) =>
      guarded(async () => {
        const tokens = await (await getterReady).signOut()
        if (tokens === undefined) return { tokens: undefined }
        // The local logout is done: a provider that cannot be reached now does not undo it.
        let endpoints: Endpoints
        try {
          endpoints = await endpointsOf()
        } catch (cause) {
          return { tokens: toTokens(tokens), revocation: toAuthError(cause) }
        }
        const { revokeAndEnd } = await import('./logout')
        return revokeAndEnd(context, endpoints, tokens, logoutOptions.endSession === true)
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
