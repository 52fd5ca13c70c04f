import { startAuthorization } from '../core/protocol/authorize'
import { completeAuthorization } from '../core/protocol/callback'
import { pkceWarning } from '../core/protocol/discovery'
import { AppError, clockSkewError, toAppError } from '../core/protocol/errors'
import { isRevocation, refreshTokens } from '../core/protocol/refresh'
import { revocationNote, revokeTokens } from '../core/protocol/revoke'
import { REQUEST_TIMEOUT_MS, type Endpoints } from '../core/protocol/server'
import { withTimeout } from '../core/requests'
import { sweepTransients, type TransientStorage } from '../core/protocol/transient'
import { serverFingerprint } from '../core/profile/server-fingerprint'
import type { ListedProfile, Profile } from '../core/profile/types'
import type { KeyValueStore } from '../core/storage/kv'
import { MAX_TRUSTED_SKEW_MS } from '../core/jwt/expiry'
import { createApiActions, type ApiActions } from './api-actions'
import { createAuditActions, type AuditActions } from './audit-actions'
import { checkIdTokenSignature, checkRefreshedIdToken } from '../core/protocol/id-token'
import { refuseFragmentCallback } from './fragment-callback'
import { siteDataBlocked } from './site-data'
import { createProfileActions, type ProfileActions } from './profile-actions'
import { createProviderSessionActions, type ProviderSessionActions } from './provider-session'
import type { JwksCache } from '../core/jwt/jwks'
import type { Inspection, TokenKind } from './inspect'
import { loadCatalog } from './profiles'
import { resolveEndpoints, type DiscoveryMemory } from '../core/protocol/endpoints'
import { initialState, type Alert, type SessionState } from './state'
import { tokenEventPatch } from './token-events'
import { recordingFetch, type TimelineEntry, type TimelineStep } from '../core/record'
import {
  createTokenGetter,
  type ChannelLike,
  type LockManagerLike,
  type TabMessage,
  type TokenEvent,
  type Timers,
  type TokenGetter,
} from '../core/refresh/token-getter'

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
export interface Session extends ProfileActions, ProviderSessionActions, ApiActions, AuditActions {
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

/** The page's own timers, looked up at each call (so test clocks govern them). */
const pageTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}
const MAX_TIMELINE = 200

/** A refresh or call for a profile that no longer names the server its getter was made for. */
function profileMoved(profile: Profile): AppError {
  return new AppError(
    'server_changed',
    `The profile "${profile.name}" now names another server; its tokens were not sent there.`,
    'Press Log in to sign in to the server the profile names now.',
  )
}

/** The redirect URI: the app's own URL, origin + path, no query or fragment. */
export function appRedirectUri(url: URL): string {
  return url.origin + url.pathname
}

/** Creates the session controller: profiles, login, callback, tokens, API calls and alerts. */
export function createSession(env: SessionEnvironment): Session {
  let state: SessionState = { ...initialState(), storageProblem: env.storageProblem }
  const listeners = new Set<(state: SessionState) => void>()
  let alertSeq = 0
  /** The site's `providers.json`, next to `index.html` whatever the path. */
  const providersUrl = new URL('providers.json', env.url)
  let timelineSeq = 0
  let getter: TokenGetter | undefined
  /** The server fingerprint the current getter was made for. */
  let getterServer: string | undefined
  const jwksCache: JwksCache = new Map()
  /** Profiles whose PKCE warning the user has seen: the next Log in goes ahead. */
  const pkceWarned = new Set<string>()
  /** Discoveries of this page load; the form's Discover or a changed profile asks again. */
  const discoveries: DiscoveryMemory = new Map()
  const announced = new WeakSet<AppError>()
  /** Every request of the console is cut off after REQUEST_TIMEOUT_MS, body included. */
  const timedFetch = withTimeout(env.fetch, REQUEST_TIMEOUT_MS, env.timers ?? pageTimers)
  const idTokenContext = () => ({ fetch: timedFetch, now: env.now(), jwksCache })

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
    const error = toAppError(cause, step)
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
    const error = toAppError(cause, step)
    if (isRevocation(error)) return
    alert(error, step)
  }

  const record = (entry: Omit<TimelineEntry, 'id'>) => {
    update({ timeline: [...state.timeline, { ...entry, id: ++timelineSeq }].slice(-MAX_TIMELINE) })
  }
  const fetchFor = (step: TimelineStep) => recordingFetch(timedFetch, step, record, () => env.now())

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

  const endpointsOf = async (profile: Profile): Promise<Endpoints> => {
    const result = await resolveEndpoints(profile, env.store, {
      fetch: fetchFor('discovery'),
      now: env.now(),
      memory: discoveries,
    })
    // A remembered failure is the same error object: one alert, not one per action.
    if (result.fallback && !announced.has(result.fallback)) {
      announced.add(result.fallback)
      alert(
        new AppError(
          result.fallback.code,
          `${result.fallback.message} Using the endpoints configured in the profile instead.`,
          'Nothing to do unless the login fails.',
        ),
        'discovery request',
      )
    }
    return result.endpoints
  }

  const onTokenEvent = (event: TokenEvent) => {
    update(
      tokenEventPatch(
        event,
        state,
        () => ++alertSeq,
        (error) => toAlert(error, 'refresh request'),
      ),
    )
  }

  /**
   * Makes the token getter of the selected profile (one per tab and profile). `fresh`: the
   * profiles were just read (start-up, a callback, another tab's announcement), so tokens another
   * server issued under this id are forgotten, not only left unused.
   */
  const useProfile = async (profileId: string | undefined, fresh = false) => {
    getter?.dispose()
    getter = undefined
    getterServer = undefined
    update({ retrying: undefined })
    const selected = listed(profileId)?.profile
    if (profileId === undefined || selected === undefined) {
      update({ tokens: undefined })
      return
    }
    // Tokens follow the server, not the id: the getter only ever reads, refreshes and sends
    // tokens stamped with the fingerprint of the profile as it is now.
    const server = serverFingerprint(selected)
    const created = createTokenGetter({
      profileId,
      server,
      ...(env.namespace !== undefined ? { lockPrefix: env.namespace } : {}),
      store: env.store,
      now: () => env.now(),
      timers: env.timers ?? pageTimers,
      ...(env.locks ? { locks: env.locks } : {}),
      ...(env.channel ? { channel: env.channel } : {}),
      onEvent: onTokenEvent,
      refresh: async (tokens) => {
        const profile = requireProfile(profileId)
        if (serverFingerprint(profile) !== server) throw profileMoved(profile)
        const endpoints = await endpointsOf(profile)
        const next = await refreshTokens(profile, endpoints, tokens, {
          now: () => env.now(),
          fetch: fetchFor('refresh'),
        })
        checkRefreshedIdToken(tokens, next)
        if (next.id_token !== tokens.id_token)
          await checkIdTokenSignature(next.id_token, profile, endpoints, idTokenContext())
        return next
      },
    })
    getter = created
    getterServer = server
    const loaded = await created.load({ forgetForeign: fresh })
    // The user may have picked yet another profile while this one loaded.
    if (getter === created) update({ tokens: loaded })
  }

  const finishCallback = async (params: URLSearchParams) => {
    let resolved: Endpoints | undefined
    try {
      const { profile, tokens, clockSkewMs } = await completeAuthorization(params, {
        storage: env.transientStorage,
        now: () => env.now(),
        redirectUri: appRedirectUri(env.url),
        fetch: fetchFor('code exchange'),
        resolve: async (profileId, startedAt) => {
          const profile = requireProfile(profileId)
          const endpoints = await endpointsOf(profile)
          record({
            at: startedAt,
            step: 'authorize redirect',
            method: 'GET',
            ...(endpoints.as.authorization_endpoint
              ? { url: endpoints.as.authorization_endpoint }
              : {}),
          })
          record({
            at: env.now(),
            step: 'callback',
            note: `parameters: ${[...params.keys()].join(', ')}`,
          })
          resolved = endpoints
          return { profile, endpoints }
        },
      })
      // Before anything is stored: the ID token must be signed by the provider's keys.
      if (resolved !== undefined)
        await checkIdTokenSignature(tokens.id_token, profile, resolved, idTokenContext())
      if (clockSkewMs !== undefined && Math.abs(clockSkewMs) > MAX_TRUSTED_SKEW_MS) {
        alert(clockSkewError(clockSkewMs), 'token request')
      }
      await env.store.set(SELECTED_KEY, profile.id)
      update({ selectedId: profile.id })
      await useProfile(profile.id, true)
      await getter?.set(tokens)
    } catch (cause) {
      alert(cause, 'token request')
    }
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
    } else if (serverFingerprint(selected) !== getterServer) {
      await useProfile(selected.id, true)
    }
  }

  env.channel?.subscribe((message) => {
    if (message.type === 'profiles-changed') void reloadProfiles()
    else void getter?.receive(message)
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
    getter: () => getter,
    requireProfile,
    endpointsOf,
    fetchFor,
    now: () => env.now(),
    alertUnlessSignedOut,
  })

  const auditActions = createAuditActions({
    getState: () => state,
    subscribe: (listener) => listeners.add(listener),
    store: env.store,
    fetch: timedFetch,
    now: () => env.now(),
    appOrigin: env.url.origin,
  })

  const session: Session = {
    ...profileActions,
    ...apiActions,
    ...auditActions,
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
      if (getter === undefined) await useProfile(selectedId, true)
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
      if (id === undefined) return
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
        const endpoints = await endpointsOf(profile)
        const warning = pkceWarning(endpoints.as)
        if (warning !== undefined && !pkceWarned.has(id)) {
          // Shown before any redirect, so the user can read it; the next Log in goes ahead.
          pkceWarned.add(id)
          throw new AppError(
            'pkce_unsupported',
            warning,
            "Check the provider's PKCE settings, or press Log in again to try anyway.",
          )
        }
        const url = await startAuthorization(profile, endpoints, {
          storage: env.transientStorage,
          redirectUri: profile.redirect_uri ?? appRedirectUri(env.url),
          now: env.now(),
        })
        env.navigate(url.href)
      } catch (cause) {
        alert(cause, 'login')
        update({ busy: false })
      }
    },

    async logout() {
      const id = state.selectedId
      if (id === undefined || getter === undefined) return
      // The tokens as deleted, after any refresh in flight: a rotated refresh token is the one
      // to revoke, not the copy this tab held before.
      const tokens = await getter.signOut()
      update({ api: { busy: false, response: undefined } })
      if (tokens === undefined) return
      // The local logout is done; what the provider says about revocation is reported in the
      // timeline, never as an error (RFC 7009 §2.2: e.g. JWT access tokens may not be revocable).
      const outcome = await endpointsOf(requireProfile(id))
        .then((endpoints) => revokeTokens(endpoints, tokens, fetchFor('revocation')))
        .catch((cause: unknown) => toAppError(cause, 'revocation request'))
      record({ at: env.now(), step: 'logout', note: revocationNote(outcome) })
      await providerSession.offerEndSession(id, tokens)
    },

    async refreshNow() {
      try {
        if (getter === undefined)
          throw new AppError(
            'not_signed_in',
            'There is no session to refresh.',
            'Press Log in first.',
          )
        await getter.refreshNow()
      } catch (cause) {
        alertUnlessSignedOut(cause, 'refresh request')
      }
    },

    wake() {
      getter?.check()
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
