import type { RequestRecord } from '../core/types'
import { resolveEndpoints, type DiscoveryMemory } from '../core/protocol/endpoints'
import { AppError } from '../core/protocol/errors'
import { REQUEST_TIMEOUT_MS, type Endpoints } from '../core/protocol/server'
import { sweepTransients } from '../core/protocol/transient'
import { serverFingerprint } from '../core/profile/server-fingerprint'
import type { ListedProfile, Profile } from '../core/profile/types'
import { recordingFetch, type TimelineStep } from '../core/record'
import { withTimeout } from '../core/requests'
import type { JwksCache } from '../core/jwt/jwks'
import type { TabMessage } from '../core/refresh/token-getter'
import { createApiActions, type ApiActions } from './api-actions'
import { createAuditActions, type AuditActions } from './audit-actions'
import { createAuthActions, type AuthActions } from './auth-actions'
import {
  appRedirectUri,
  createClientHost,
  pageTimers,
  type SessionEnvironment,
} from './client-host'
import { refuseFragmentCallback } from './fragment-callback'
import type { Inspection, TokenKind } from './inspect'
import { createNotices } from './notices'
import { createProfileActions, type ProfileActions } from './profile-actions'
import { loadCatalog } from './profiles'
import { createProviderSessionActions, type ProviderSessionActions } from './provider-session'
import { siteDataBlocked } from './site-data'
import { initialState, type SessionState } from './state'

export type { SessionEnvironment } from './client-host'

/** The session's actions, as the UI calls them. */
export interface Session
  extends ProfileActions, ProviderSessionActions, ApiActions, AuthActions, AuditActions {
  getState(): SessionState
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: SessionState) => void): () => void
  start(): Promise<void>
  select(profileId: string): Promise<void>
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

/**
 * Creates the session controller: profiles, login, callback, tokens, API calls and alerts. The
 * selected profile's auth work is the library's ({@link createClientHost}); this wires it to
 * the console's state and actions.
 */
export function createSession(env: SessionEnvironment): Session {
  let state: SessionState = { ...initialState(), storageProblem: env.storageProblem }
  const listeners = new Set<(state: SessionState) => void>()
  /** The site's `providers.json`, next to `index.html` whatever the path. */
  const providersUrl = new URL('providers.json', env.url)
  let timelineSeq = 0
  const jwksCache: JwksCache = new Map()
  /** Discoveries of this page load; the form's Discover or a changed profile asks again. */
  const discoveries: DiscoveryMemory = new Map()
  const timers = env.timers ?? pageTimers
  /** Every request of the console is cut off after REQUEST_TIMEOUT_MS, body included. */
  const timedFetch = withTimeout(env.fetch, REQUEST_TIMEOUT_MS, timers)

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
  const notices = createNotices(
    env.url.origin,
    () => env.online?.() === false,
    () => state,
    update,
  )
  const { alert, alertUnlessSignedOut } = notices

  const record = (entry: RequestRecord) => {
    update({ timeline: [...state.timeline, { ...entry, id: ++timelineSeq }].slice(-MAX_TIMELINE) })
  }
  /** Requests the console sends itself, recorded like the client's. */
  const recordedFetch = (step: TimelineStep): typeof fetch =>
    recordingFetch(timedFetch, step, record, () => env.now())

  const listed = (id: string | undefined): ListedProfile | undefined =>
    state.profiles.find((entry) => entry.profile.id === id)

  const requireProfile = (id: string): Profile => {
    const entry = listed(id)
    if (entry === undefined) {
      throw new AppError('invalid_profile', `The profile "${id}" no longer exists.`, {
        detail: { field: 'id' },
      })
    }
    return entry.profile
  }

  /** The console's own endpoint resolution (userinfo, the API console, end session). */
  const endpointsOf = async (profile: Profile): Promise<Endpoints> => {
    const result = await resolveEndpoints(profile, env.store, {
      fetch: recordedFetch('discovery'),
      now: env.now(),
      memory: discoveries,
    })
    if (result.fallback) notices.announceFallback(result.fallback)
    return result.endpoints
  }

  const host = createClientHost({
    env,
    timers,
    discoveries,
    notices,
    getState: () => state,
    update,
    record,
    listed,
    remember: async (profileId) => {
      await env.store.set(SELECTED_KEY, profileId)
      update({ selectedId: profileId })
    },
    isConfirmed: (profileId, origin) => apiActions.isConfirmed(profileId, origin),
  })
  const useProfile = (profileId: string | undefined, fresh = false) => host.use(profileId, fresh)

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
    } else if (serverFingerprint(selected) !== host.server()) {
      await useProfile(selected.id, true)
    }
  }

  env.channel?.subscribe((message) => {
    if (message.type === 'profiles-changed') void reloadProfiles()
    else host.receive(message)
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
    client: () => host.current(),
    requireProfile,
    endpointsOf,
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
    ...createAuthActions({
      env,
      host,
      getState: () => state,
      update,
      record,
      notices,
      requireProfile,
      endpointsOf,
      offerEndSession: (id, tokens) => providerSession.offerEndSession(id, tokens),
    }),
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
        if (!providerSession.finishLogoutReturn(params)) await host.finishCallback(params)
        update({ busy: false })
      }
      // After the callback, so an expired record is reported as such (login_expired), not missing.
      sweepTransients(env.transientStorage, env.now())
      if (host.current() === undefined) await useProfile(state.selectedId, true)
      update({ ready: true })
    },

    async select(profileId) {
      if (listed(profileId) === undefined) return
      update({ selectedId: profileId, api: { busy: false, response: undefined } })
      await env.store.set(SELECTED_KEY, profileId)
      await useProfile(profileId)
    },

    wake() {
      host.wake()
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
