import type { RequestRecord } from '../core'
import {
  resolveEndpoints,
  type DiscoveryMemory,
  AppError,
  REQUEST_TIMEOUT_MS,
  type Endpoints,
  serverFingerprint,
  type ListedProfile,
  type Profile,
  recordingFetch,
  type TimelineStep,
  withTimeout,
  type JwksCache,
  type TabMessage,
} from '../core/tools'
import { createApiActions, type ApiActions } from './api-actions'
import { createAuditActions, type AuditActions } from './audit-actions'
import { createAuthActions, type AuthActions } from './auth-actions'
import {
  appRedirectUri,
  createClientHost,
  pageTimers,
  type ClientHost,
  type SessionEnvironment,
} from './client-host'
import type { Inspection, TokenKind } from './inspect'
import { createNotices, type Notices } from './notices'
import { createProfileActions, type ProfileActions } from './profile-actions'
import { loadCatalog } from './profiles'
import { createProviderSessionActions, type ProviderSessionActions } from './provider-session'
import type { SessionState } from './state'

const MAX_TIMELINE = 200

/** What the wiring needs from the session it completes. */
export interface WiringContext {
  env: SessionEnvironment
  getState(): SessionState
  update(patch: Partial<SessionState>): void
  /** Registers a listener for every later state change. */
  subscribe(listener: (state: SessionState) => void): void
  providersUrl: URL
  /** Makes `profileId` the selected profile (state and storage) without loading its client. */
  remember(profileId: string): Promise<void>
  select(profileId: string): Promise<void>
}

/** The session's actions and the selected profile's client, once loaded. */
export interface Wiring
  extends ProfileActions, ProviderSessionActions, ApiActions, AuthActions, AuditActions {
  host: ClientHost
  notices: Notices
  /** Makes the client of `profileId` and loads its session (see {@link ClientHost.use}). */
  useProfile(profileId: string | undefined, fresh?: boolean): Promise<void>
  /** Another tab saved, imported or deleted profiles: list them anew, and follow a moved one. */
  reloadProfiles(): Promise<void>
  inspect(kind: TokenKind, token: string): Promise<Inspection>
  inspectPasted(token: string, keyText: string): Promise<Inspection>
}

/**
 * Wires everything a session does beyond listing profiles: the selected profile's library client
 * ({@link createClientHost}), login, callback, tokens, API calls, the audit and alerts. Loaded on
 * first need, so a signed-out start page carries none of it.
 */
export function wireSession(ctx: WiringContext): Wiring {
  const { env, providersUrl } = ctx
  const getState = () => ctx.getState()
  const update = (patch: Partial<SessionState>) => {
    ctx.update(patch)
  }
  let timelineSeq = 0
  const jwksCache: JwksCache = new Map()
  /** Discoveries of this page load; the form's Discover or a changed profile asks again. */
  const discoveries: DiscoveryMemory = new Map()
  const timers = env.timers ?? pageTimers
  /** Every request of the console is cut off after REQUEST_TIMEOUT_MS, body included. */
  const timedFetch = withTimeout(env.fetch, REQUEST_TIMEOUT_MS, timers)

  const notices = createNotices(env.url.origin, () => env.online?.() === false, getState, update)
  const { alert, alertUnlessSignedOut } = notices

  const record = (entry: RequestRecord) => {
    update({
      timeline: [...getState().timeline, { ...entry, id: ++timelineSeq }].slice(-MAX_TIMELINE),
    })
  }
  /** Requests the console sends itself, recorded like the client's. */
  const recordedFetch = (step: TimelineStep): typeof fetch =>
    recordingFetch(timedFetch, step, record, () => env.now())

  const listed = (id: string | undefined): ListedProfile | undefined =>
    getState().profiles.find((entry) => entry.profile.id === id)

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
    jwksCache,
    notices,
    getState,
    update,
    record,
    listed,
    remember: (profileId) => ctx.remember(profileId),
    isConfirmed: (profileId, origin) => apiActions.isConfirmed(profileId, origin),
  })
  const useProfile = (profileId: string | undefined, fresh = false) => host.use(profileId, fresh)

  const reloadProfiles = async () => {
    const catalog = await loadCatalog(env.store, providersUrl, timedFetch)
    update({
      profiles: catalog.listed,
      refused: [...catalog.site.refused, ...catalog.userDoc.refused],
      warnings: [...catalog.site.warnings, ...catalog.userDoc.warnings],
    })
    const selected = listed(getState().selectedId)?.profile
    if (selected === undefined) {
      const first = catalog.listed[0]?.profile.id
      if (first !== undefined) await ctx.select(first)
      else {
        update({ selectedId: undefined })
        await useProfile(undefined)
      }
    } else if (serverFingerprint(selected) !== host.server()) {
      await useProfile(selected.id, true)
    }
  }

  const profileActions = createProfileActions({
    store: env.store,
    providersUrl,
    fetch: timedFetch,
    discoveries,
    getState,
    update,
    select: (profileId) => ctx.select(profileId),
    alert,
    announce: () => env.channel?.postMessage({ type: 'profiles-changed' } satisfies TabMessage),
  })

  const apiActions = createApiActions({
    getState,
    update,
    client: () => host.current(),
    now: () => env.now(),
    alertUnlessSignedOut,
  })

  const providerSession = createProviderSessionActions({
    env,
    getState,
    update,
    record,
    alert,
    requireProfile,
    endpointsOf,
    send: (request) => apiActions.send(request),
    appUrl: appRedirectUri(env.url),
  })

  const auditActions = createAuditActions({
    getState,
    subscribe: (listener) => {
      ctx.subscribe(listener)
    },
    store: env.store,
    fetch: timedFetch,
    now: () => env.now(),
    appOrigin: env.url.origin,
  })

  return {
    ...profileActions,
    ...apiActions,
    ...auditActions,
    ...providerSession,
    ...createAuthActions({
      env,
      host,
      getState,
      update,
      record,
      notices,
      requireProfile,
      endpointsOf,
      offerEndSession: (id, tokens) => providerSession.offerEndSession(id, tokens),
    }),
    host,
    notices,
    useProfile,
    reloadProfiles,

    // The inspector is loaded on first use (and jose only when a signature needs checking).
    async inspect(kind, token) {
      const profile = listed(getState().selectedId)?.profile
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
}
