import { AuthError, createAuthClient, type AuthClient, type RequestRecord } from '../core'
import type { AuthEnvironment, TabChannel } from '../core/environment'
import { pkceWarning } from '../core/protocol/discovery'
import { AppError, toAppError } from '../core/protocol/errors'
import { isRevocation } from '../core/protocol/refresh'
import { revocationNote } from '../core/protocol/revoke'
import { REQUEST_TIMEOUT_MS, type Endpoints } from '../core/protocol/server'
import {
  pendingLoginProfile,
  sweepTransients,
  type TransientStorage,
} from '../core/protocol/transient'
import { serverFingerprint } from '../core/profile/server-fingerprint'
import type { ListedProfile, Profile } from '../core/profile/types'
import type { KeyValueStore } from '../core/storage/kv'
import { recordingFetch, type TimelineEntry } from '../core/record'
import { withTimeout } from '../core/requests'
import type { JwksCache } from '../core/jwt/jwks'
import { resolveEndpoints, type DiscoveryMemory } from '../core/protocol/endpoints'
import type {
  ChannelLike,
  LockManagerLike,
  SignOutReason,
  TabMessage,
  Timers,
} from '../core/refresh/token-getter'
import { createApiActions, type ApiActions } from './api-actions'
import { refuseFragmentCallback } from './fragment-callback'
import type { Inspection, TokenKind } from './inspect'
import { createProfileActions, type ProfileActions } from './profile-actions'
import { loadCatalog } from './profiles'
import { createProviderSessionActions, type ProviderSessionActions } from './provider-session'
import { siteDataBlocked } from './site-data'
import { initialState, type Alert, type SessionState } from './state'
import { gaveUpAlert, retryingNotice } from './token-events'

/** What the session needs from the page; passed in so the core runs without a browser. */
export interface SessionEnvironment {
  /** The page's URL at start-up, without callback parameters. */
  url: URL
  /** The callback parameters this page load carried, already removed from the address bar. */
  callback: URLSearchParams | undefined
  /** A response that came back in the fragment (`response_mode=fragment`), to be refused. */
  fragmentCallback?: URLSearchParams
  /** Leaves the app for the provider. */
  navigate(url: string): void
  transientStorage: TransientStorage
  store: KeyValueStore
  storageProblem?: string
  /** Set when sessionStorage is blocked: login is unavailable (the record cannot wait). */
  siteDataProblem?: string
  fetch: typeof fetch
  now(): number
  /** The page's timers by default. */
  timers?: Timers
  /** `navigator.locks`, where the browser has it. */
  locks?: LockManagerLike
  /** A BroadcastChannel shared by the app's tabs, and how to listen to it. */
  channel?: ChannelLike & { subscribe(listener: (message: TabMessage) => void): void }
  /**
   * The deployment's namespace (`deploymentNamespace`), which names its database, channel and
   * locks, so two copies of the app on one origin share nothing. Default `pkce-console`.
   */
  namespace?: string
}

/** The session's actions, as the UI calls them. */
export interface Session extends ProfileActions, ProviderSessionActions, ApiActions {
  getState(): SessionState
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: SessionState) => void): () => void
  start(): Promise<void>
  select(profileId: string): Promise<void>
  login(): Promise<void>
  logout(): Promise<void>
  refreshNow(): Promise<void>
  /** Re-checks token expiry (the page became visible again). */
  wake(): void
  dismissAlert(id: number): void
  /** Checks a held token's signature and claims against the selected profile; never throws. */
  inspect(kind: TokenKind, token: string): Promise<Inspection>
  /** Checks a pasted token with a pasted key; nothing is stored. Never throws. */
  inspectPasted(token: string, keyText: string): Promise<Inspection>
}

const SELECTED_KEY = 'selected'
const MAX_TIMELINE = 200

/** The page's own timers, looked up at each call (so test clocks govern them). */
const pageTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}

/** The redirect URI: the app's own URL, origin + path, no query or fragment. */
export function appRedirectUri(url: URL): string {
  return url.origin + url.pathname
}

/**
 * The console's error behind a library error: the protocol layer's AppError (or a sign-out
 * reason from another tab), which carries the hint the user sees.
 */
function underlying(cause: unknown): unknown {
  if (!(cause instanceof AuthError)) return cause
  const inner = cause.cause
  if (inner instanceof AppError) return inner
  const reason = inner as Partial<SignOutReason> | undefined
  if (typeof reason?.code === 'string' && typeof reason.hint === 'string')
    return new AppError(reason.code as AppError['code'], cause.message, reason.hint)
  return cause
}

/**
 * Creates the session controller: profiles, login, callback, tokens, API calls and alerts. Each
 * selected profile gets one {@link AuthClient} of the library; the session maps its events onto
 * the console's state.
 */
export function createSession(env: SessionEnvironment): Session {
  let state: SessionState = { ...initialState(), storageProblem: env.storageProblem }
  const listeners = new Set<(state: SessionState) => void>()
  let alertSeq = 0
  /** The site's `providers.json`, next to `index.html` whatever the path. */
  const providersUrl = new URL('providers.json', env.url)
  let timelineSeq = 0
  let client: AuthClient | undefined
  /** The server fingerprint the current client was made for. */
  let clientServer: string | undefined
  const jwksCache: JwksCache = new Map()
  /** Profiles whose PKCE warning the user has seen: the next Log in goes ahead. */
  const pkceWarned = new Set<string>()
  /** Discoveries of this page load; the form's Discover or a changed profile asks again. */
  const discoveries: DiscoveryMemory = new Map()
  const announced = new WeakSet<object>()
  const timers = env.timers ?? pageTimers
  /** Every request of the console is cut off after REQUEST_TIMEOUT_MS, body included. */
  const timedFetch = withTimeout(env.fetch, REQUEST_TIMEOUT_MS, timers)
  /** The callback this page load carried, until the client it answers has read it. */
  let callbackUrl: URL | undefined
  /** The client's end of the tabs' channel: one channel, listened to by the current client. */
  let clientListener: ((message: TabMessage) => void) | undefined
  const wakeListeners = new Set<() => void>()

  const update = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch }
    for (const listener of listeners) {
      // A listener that throws (a panel failing to render) must not stop start-up or a logout.
      try {
        listener(state)
      } catch (error) {
        console.error(error)
      }
    }
  }

  const toAlert = (cause: unknown, step: string): Alert => {
    const error = toAppError(underlying(cause), step)
    return {
      id: ++alertSeq,
      code: error.displayCode,
      message: error.message,
      // The library cannot see the page's origin; the provider's CORS rule must name it.
      hint:
        error.code === 'cors_blocked'
          ? `Check your connection; if it works, ask the provider to allow the origin ${env.url.origin}, or use a provider that supports browser-based apps.`
          : error.hint,
      ...(error.errorDescription !== undefined ? { description: error.errorDescription } : {}),
    }
  }
  const alert = (cause: unknown, step: string) => {
    update({ alerts: [...state.alerts, toAlert(cause, step)] })
  }
  /** A refresh that revoked the session was already announced by the sign-out; say it once. */
  const alertUnlessSignedOut = (cause: unknown, step: string) => {
    const error = toAppError(underlying(cause), step)
    if (isRevocation(error)) return
    alert(error, step)
  }

  const record = (entry: RequestRecord) => {
    update({ timeline: [...state.timeline, { ...entry, id: ++timelineSeq }].slice(-MAX_TIMELINE) })
  }

  const listed = (id: string | undefined): ListedProfile | undefined =>
    state.profiles.find((entry) => entry.profile.id === id)

  const requireProfile = (id: string): Profile => {
    const entry = listed(id)
    if (entry === undefined) {
      throw new AppError(
        'invalid_profile',
        `The profile "${id}" no longer exists.`,
        'Pick a provider and log in again.',
      )
    }
    return entry.profile
  }

  /** Says a discovery fallback once, however many actions (or clients) met it. */
  const announceFallback = (fallback: unknown) => {
    const error = underlying(fallback)
    if (!(error instanceof AppError) || announced.has(error)) return
    announced.add(error)
    alert(
      new AppError(
        error.code,
        `${error.message} Using the endpoints configured in the profile instead.`,
        'Nothing to do unless the login fails.',
      ),
      'discovery request',
    )
  }

  /** The console's own endpoint resolution (userinfo, the API console, end session). */
  const endpointsOf = async (profile: Profile): Promise<Endpoints> => {
    const result = await resolveEndpoints(profile, env.store, {
      fetch: recordedFetch('discovery'),
      now: env.now(),
      memory: discoveries,
    })
    if (result.fallback) announceFallback(result.fallback)
    return result.endpoints
  }
  /** Requests the console sends itself, recorded like the client's. */
  const recordedFetch = (step: TimelineEntry['step']): typeof fetch =>
    recordingFetch(timedFetch, step, record, () => env.now())

  const channel = env.channel
  const clientEnvironment = (): AuthEnvironment => ({
    fetch: env.fetch,
    now: () => env.now(),
    timers,
    openStore: () => Promise.resolve(env.store),
    transientStorage: env.transientStorage,
    ...(env.locks ? { locks: env.locks } : {}),
    ...(channel ? { openChannel: () => clientChannel(channel) } : {}),
    namespace: env.namespace ?? 'pkce-console',
    location: () => callbackUrl ?? env.url,
    replaceUrl: () => {
      callbackUrl = undefined
    },
    navigate: (url) => {
      env.navigate(url)
    },
    onVisible: (listener) => {
      wakeListeners.add(listener)
      return () => wakeListeners.delete(listener)
    },
  })
  const clientChannel = (channel: NonNullable<SessionEnvironment['channel']>): TabChannel => ({
    postMessage: (message) => {
      channel.postMessage(message)
    },
    subscribe: (listener) => {
      clientListener = listener
    },
    close: () => {
      clientListener = undefined
    },
  })

  const listen = (created: AuthClient) => {
    created.on('tokens', (tokens) => {
      update({ tokens, retrying: undefined })
    })
    created.on('signed-out', ({ reason }) => {
      update({
        tokens: undefined,
        retrying: undefined,
        ...(reason ? { alerts: [...state.alerts, toAlert(reason, 'refresh request')] } : {}),
      })
    })
    created.on('refresh-retrying', ({ error, attempt, delayMs }) => {
      update({ retrying: retryingNotice(toAlert(error, 'refresh request'), attempt, delayMs) })
    })
    created.on('refresh-recovered', () => {
      update({ retrying: undefined })
    })
    created.on('refresh-failed', ({ error }) => {
      update({
        retrying: undefined,
        alerts: [...state.alerts, gaveUpAlert(toAlert(error, 'refresh request'))],
      })
    })
    created.on('request', record)
    created.on('warning', ({ error }) => {
      if (error.code === 'clock_skew') alert(error, 'token request')
      else announceFallback(error)
    })
  }

  /**
   * Makes the client of the selected profile (one per tab and profile) and loads its session, or
   * completes the callback this page load carried for it. `fresh`: the profiles were just read
   * (start-up, a callback, another tab's announcement), so tokens another server issued under
   * this id are forgotten, not only left unused.
   */
  const useProfile = async (profileId: string | undefined, fresh = false) => {
    client?.dispose()
    client = undefined
    clientServer = undefined
    update({ retrying: undefined })
    const selected = listed(profileId)?.profile
    if (profileId === undefined || selected === undefined) {
      update({ tokens: undefined })
      return
    }
    // Tokens follow the server, not the id: the client only ever reads, refreshes and sends
    // tokens stamped with the fingerprint of the profile as it is now.
    const created = createAuthClient(selected, {
      environment: clientEnvironment(),
      discoveries,
      forgetForeignTokens: fresh,
      unmaskedRequests: true,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      onUnknownOrigin: (url) => apiActions.isConfirmed(profileId, new URL(url).origin),
    })
    client = created
    clientServer = serverFingerprint(selected)
    listen(created)
    try {
      await created.handleCallback()
    } catch (cause) {
      alert(cause, 'token request')
    }
    // The user may have picked yet another profile while this one loaded.
    if (client === created) update({ tokens: created.tokens() })
  }

  /** Completes this page load's callback with the client of the profile that started the login. */
  const finishCallback = async (params: URLSearchParams) => {
    const sent = params.get('state')
    const owner = sent === null ? undefined : pendingLoginProfile(env.transientStorage, sent)
    if (owner !== undefined && listed(owner) === undefined) {
      alert(
        new AppError(
          'invalid_profile',
          `The profile "${owner}" no longer exists.`,
          'Pick a provider and log in again.',
        ),
        'token request',
      )
      return
    }
    // No login record for this state: the selected profile's client says why (state_mismatch,
    // no_pending_login, login_expired).
    const profileId = owner ?? state.selectedId ?? state.profiles[0]?.profile.id
    if (profileId === undefined) return
    if (profileId !== state.selectedId) {
      await env.store.set(SELECTED_KEY, profileId)
      update({ selectedId: profileId })
    }
    callbackUrl = new URL(env.url)
    for (const [name, value] of params) callbackUrl.searchParams.append(name, value)
    await useProfile(profileId, true)
    callbackUrl = undefined
  }

  /** Another tab saved, imported or deleted profiles: list them anew, and follow a moved one. */
  const reloadProfiles = async () => {
    const catalog = await loadCatalog(env.store, providersUrl, timedFetch)
    update({
      profiles: catalog.listed,
      refused: [...catalog.site.refused, ...catalog.userDoc.refused],
      warnings: [...catalog.site.warnings, ...catalog.userDoc.warnings],
    })
    const selected = listed(state.selectedId)?.profile
    if (selected === undefined) {
      const first = catalog.listed[0]?.profile.id
      if (first !== undefined) await session.select(first)
      else {
        update({ selectedId: undefined })
        await useProfile(undefined)
      }
    } else if (serverFingerprint(selected) !== clientServer) {
      await useProfile(selected.id, true)
    }
  }

  env.channel?.subscribe((message) => {
    if (message.type === 'profiles-changed') void reloadProfiles()
    else clientListener?.(message)
  })

  const profileActions = createProfileActions({
    store: env.store,
    providersUrl,
    fetch: timedFetch,
    discoveries,
    getState: () => state,
    update,
    select: (profileId) => session.select(profileId),
    alert,
    announce: () => env.channel?.postMessage({ type: 'profiles-changed' } satisfies TabMessage),
  })

  const providerSession = createProviderSessionActions({
    env,
    getState: () => state,
    update,
    record,
    alert,
    requireProfile,
    endpointsOf,
    send: (request) => session.send(request),
    appUrl: appRedirectUri(env.url),
  })

  const apiActions = createApiActions({
    getState: () => state,
    update,
    client: () => client,
    requireProfile,
    endpointsOf,
    now: () => env.now(),
    alertUnlessSignedOut,
  })

  const session: Session = {
    ...profileActions,
    ...apiActions,
    ...providerSession,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async start() {
      const params = env.callback
      const catalog = await loadCatalog(env.store, providersUrl, timedFetch)
      const remembered = (await env.store.get(SELECTED_KEY)) as string | undefined
      const ids = new Set(catalog.listed.map((entry) => entry.profile.id))
      const selectedId = [remembered, catalog.site.default, catalog.listed[0]?.profile.id].find(
        (id): id is string => id !== undefined && ids.has(id),
      )
      update({
        profiles: catalog.listed,
        refused: [...catalog.site.refused, ...catalog.userDoc.refused],
        warnings: [...catalog.site.warnings, ...catalog.userDoc.warnings],
        selectedId,
      })
      if (env.siteDataProblem !== undefined) alert(siteDataBlocked(env.siteDataProblem), 'start-up')
      if (env.fragmentCallback !== undefined)
        alert(refuseFragmentCallback(env.fragmentCallback, env.transientStorage), 'callback')
      if (params !== undefined) {
        update({ busy: true })
        if (!providerSession.finishLogoutReturn(params)) await finishCallback(params)
        update({ busy: false })
      }
      // After the callback, so an expired record is reported as such (login_expired), not missing.
      sweepTransients(env.transientStorage, env.now())
      if (client === undefined) await useProfile(state.selectedId, true)
      update({ ready: true })
    },

    async select(profileId) {
      if (listed(profileId) === undefined) return
      update({ selectedId: profileId, api: { busy: false, response: undefined } })
      await env.store.set(SELECTED_KEY, profileId)
      await useProfile(profileId)
    },

    async login() {
      const id = state.selectedId
      if (id === undefined || client === undefined) return
      update({ busy: true })
      try {
        if (env.siteDataProblem !== undefined) throw siteDataBlocked(env.siteDataProblem)
        const profile = requireProfile(id)
        if (profile.client_id === '') {
          throw new AppError(
            'invalid_profile',
            `The profile "${profile.name}" has no Client ID.`,
            'Edit the profile and enter the Client ID your provider registered for this app.',
          )
        }
        const warning = pkceWarning((await endpointsOf(profile)).as)
        if (warning !== undefined && !pkceWarned.has(id)) {
          // Shown before any redirect, so the user can read it; the next Log in goes ahead.
          pkceWarned.add(id)
          throw new AppError(
            'pkce_unsupported',
            warning,
            "Check the provider's PKCE settings, or press Log in again to try anyway.",
          )
        }
        await client.login({ evenWithoutAdvertisedPkce: true })
      } catch (cause) {
        alert(cause, 'login')
        update({ busy: false })
      }
    },

    async logout() {
      const id = state.selectedId
      if (id === undefined || client === undefined) return
      // The tokens as deleted, after any refresh in flight: a rotated refresh token is the one
      // revoked, not the copy this tab held before.
      const result = await client.logout().catch((cause: unknown) => {
        alert(cause, 'logout')
        return undefined
      })
      update({ api: { busy: false, response: undefined } })
      if (result?.tokens === undefined) return
      // What the provider says about revocation is reported in the timeline, never as an error
      // (RFC 7009 §2.2: e.g. JWT access tokens may not be revocable).
      const outcome =
        result.revocation instanceof AuthError
          ? toAppError(underlying(result.revocation), 'revocation request')
          : result.revocation
      if (outcome !== undefined)
        record({ at: env.now(), step: 'logout', note: revocationNote(outcome) })
      await providerSession.offerEndSession(id, result.tokens)
    },

    async refreshNow() {
      try {
        if (client === undefined || state.tokens === undefined)
          throw new AppError(
            'not_signed_in',
            'There is no session to refresh.',
            'Press Log in first.',
          )
        await client.refresh()
      } catch (cause) {
        alertUnlessSignedOut(cause, 'refresh request')
      }
    },

    wake() {
      for (const listener of wakeListeners) listener()
    },

    dismissAlert(id) {
      update({ alerts: state.alerts.filter((item) => item.id !== id) })
    },

    // The inspector is loaded on first use (and jose only when a signature needs checking).
    async inspect(kind, token) {
      const profile = listed(state.selectedId)?.profile
      const { inspectProfileToken } = await import('./inspect')
      return inspectProfileToken(token, kind, profile, {
        fetch: timedFetch,
        now: env.now(),
        store: env.store,
        jwksCache,
        discoveries,
      })
    },

    async inspectPasted(token, keyText) {
      const { inspectPastedToken } = await import('./inspect')
      return inspectPastedToken(token, keyText, { fetch: timedFetch, now: env.now(), jwksCache })
    },
  }
  return session
}
