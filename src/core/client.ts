import { startAuthorization } from '../oauth/authorize'
import { completeAuthorization, readCallback, withoutCallbackParams } from '../oauth/callback'
import { pkceWarning } from '../oauth/discovery'
import { completeEndSession, isLogoutReturn, startEndSession } from '../oauth/end-session'
import { refreshTokens } from '../oauth/refresh'
import { revokeTokens } from '../oauth/revoke'
import type { Endpoints } from '../oauth/server'
import { isPendingLogin, pendingLoginProfile } from '../oauth/transient'
import { serverFingerprint } from '../profiles/server-fingerprint'
import type { Profile } from '../profiles/types'
import { validateProfile } from '../profiles/validate'
import { checkIdTokenSignature, checkRefreshedIdToken } from '../session/id-token'
import { resolveEndpoints } from '../session/profiles'
import { maskForm, maskHeader, maskUrl, recordingFetch } from '../session/timeline'
import type { TimelineStep } from '../session/timeline'
import { createTokenGetter, type TokenEvent } from '../session/token-getter'
import type { KeyValueStore } from '../storage/kv'
import type { JwksCache } from '../tokens/jwks'
import { AuthError, authErrorCode, toAuthError } from './auth-error'
import { authorizedFetch } from './authorized-fetch'
import { browserEnvironment } from './browser'
import type { AuthEnvironment } from './environment'
import { createEmitter } from './events'
import { toTokens, type Tokens } from './tokens'

/** One HTTP step of the protocol, secrets masked: what a timeline shows. */
export interface RequestRecord {
  step: TimelineStep
  at: number
  method?: string
  url?: string
  status?: string
  durationMs?: number
  requestHeaders?: [string, string][]
  requestBody?: string
}

/** The events of an {@link AuthClient}, by name. */
export interface AuthEvents extends Record<string, unknown> {
  tokens: Tokens
  'signed-out': { reason: AuthError | undefined }
  'refresh-retrying': { error: AuthError; attempt: number; delayMs: number }
  'refresh-recovered': undefined
  'refresh-failed': { error: AuthError }
  request: RequestRecord
}

/** Options of {@link createAuthClient}; all optional. */
export interface AuthClientOptions {
  fetch?: typeof fetch
  /** Where tokens live: get/set/del. Default IndexedDB (idb-keyval), memory when it is unavailable. */
  storage?: Pick<KeyValueStore, 'get' | 'set' | 'del'>
  /** Prefixes the database, lock and channel; default: from the page's path. */
  namespace?: string
  /** Refresh this long before expiry (default 60 000; never more than a quarter of the lifetime). */
  refreshMarginMs?: number
  /** Abort a request to the provider after this long (default 15 000). */
  requestTimeoutMs?: number
  /** Whether the bearer token may go to `url`, whose origin the profile does not name. Default: no. */
  onUnknownOrigin?: (url: string) => boolean | Promise<boolean>
  /** The whole environment, for tests and non-browser hosts (`browserEnvironment` otherwise). */
  environment?: AuthEnvironment
}

/** The auth layer of one provider profile: see `README.md`, "Use the core in your app". */
export interface AuthClient {
  /**
   * On every page load: completes this client's callback (code or error, and `state`), cleans the
   * address bar and stores the tokens, resolving with them; otherwise loads the stored session and
   * resolves `undefined`. A callback for another client on the page is left alone.
   * @see https://www.rfc-editor.org/rfc/rfc9207.html
   */
  handleCallback(): Promise<Tokens | undefined>
  /**
   * Saves the login record (PKCE S256 verifier, state, nonce) and leaves for the provider;
   * `{ navigate: false }` resolves with the authorization URL instead.
   * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4
   */
  login(options?: { navigate?: boolean }): Promise<URL>
  /** The session's tokens from memory, no I/O; `undefined` when signed out. */
  tokens(): Tokens | undefined
  /**
   * The access token: from memory while valid beyond the margin, else after one refresh shared
   * by every caller and every tab. Rejects `not_signed_in` without a session.
   */
  getToken(): Promise<string>
  /**
   * `fetch` with `Authorization: Bearer`, only to origins the profile names (or that
   * `onUnknownOrigin` allows, else `token_destination`); after a 401 that refuses the token, one
   * refresh and one retry. Resolves with the `Response` whatever its status.
   * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3.1
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /**
   * Refreshes now (a rotated refresh token replaces the old one) and resolves with the new tokens.
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
   */
  refresh(): Promise<Tokens>
  /**
   * Forgets the tokens in every tab, then revokes them where the provider can (RFC 7009; a
   * failure there does not undo the logout); `{ endSession: true }` then leaves for the provider's
   * `end_session_endpoint` when it has one.
   * @see https://www.rfc-editor.org/rfc/rfc7009.html
   */
  logout(options?: { endSession?: boolean }): Promise<void>
  /** Listens to an event (`tokens`, `signed-out`, `refresh-*`, `request`); returns the unsubscribe. */
  on<K extends keyof AuthEvents>(name: K, listener: (payload: AuthEvents[K]) => void): () => void
  /** Stops the timers, the channel and every listener. */
  dispose(): void
}

/** A provider's OAuth error code (RFC 6749 §5.2 syntax), as opposed to one of the library's. */
const OAUTH_ERROR = /^(access_denied|invalid_\w+|unauthorized_client|unsupported_\w+)$/

/** Rejections keep the library's own error type, whatever failed underneath. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (cause) {
    throw toAuthError(cause)
  }
}

/** Adds an abort after `ms` to every request, on the environment's timers. */
function withTimeout(fetchImpl: typeof fetch, ms: number, env: AuthEnvironment): typeof fetch {
  return (input, init) => {
    const controller = new AbortController()
    const timer = env.timers.setTimeout(() => {
      controller.abort(new DOMException(`no answer within ${String(ms / 1000)} s`, 'TimeoutError'))
    }, ms)
    const signal = init?.signal
      ? AbortSignal.any([init.signal, controller.signal])
      : controller.signal
    return fetchImpl(input, { ...init, signal }).finally(() => {
      env.timers.clearTimeout(timer)
    })
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
  const fetchFor = (step: TimelineStep) =>
    recordingFetch(
      withTimeout(env.fetch, timeoutMs, env),
      step,
      (entry) => {
        events.emit('request', {
          ...entry,
          ...(entry.url !== undefined ? { url: maskUrl(entry.url) } : {}),
          ...(entry.requestHeaders
            ? {
                requestHeaders: entry.requestHeaders.map(([n, v]): [string, string] => [
                  n,
                  maskHeader(n, v),
                ]),
              }
            : {}),
          ...(entry.requestBody !== undefined ? { requestBody: maskForm(entry.requestBody) } : {}),
        })
      },
      () => env.now(),
    )
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
    switch (event.type) {
      case 'updated':
        events.emit('tokens', toTokens(event.tokens))
        return
      case 'signed-out':
        events.emit('signed-out', {
          reason: event.reason
            ? new AuthError(authErrorCode(event.reason.code), event.reason.message, {
                ...(OAUTH_ERROR.test(event.reason.code) ? { error: event.reason.code } : {}),
              })
            : undefined,
        })
        return
      case 'retrying':
        events.emit('refresh-retrying', {
          error: toAuthError(event.error),
          attempt: event.attempt,
          delayMs: event.delayMs,
        })
        return
      case 'recovered':
        events.emit('refresh-recovered', undefined)
        return
      case 'gave-up':
        events.emit('refresh-failed', { error: toAuthError(event.error) })
    }
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
            fetch: env.fetch,
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
              fetch: env.fetch,
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
