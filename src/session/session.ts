import { startAuthorization } from '../oauth/authorize'
import { completeAuthorization } from '../oauth/callback'
import { pkceWarning } from '../oauth/discovery'
import { AppError, toAppError } from '../oauth/errors'
import { sweepTransients, type TransientStorage } from '../oauth/transient'
import type { ListedProfile, Profile } from '../profiles/types'
import type { KeyValueStore } from '../storage/kv'
import { deleteTokens, readTokens, writeTokens } from '../storage/token-store'
import type { JwksCache } from '../tokens/jwks'
import type { Inspection, TokenKind } from './inspect'
import { loadCatalog, resolveEndpoints } from './profiles'
import { initialState, type Alert, type SessionState } from './state'

/** What the session needs from the page; passed in so the core runs without a browser. */
export interface SessionEnvironment {
  /** The page's URL at start-up, without callback parameters. */
  url: URL
  /** The callback parameters this page load carried, already removed from the address bar. */
  callback: URLSearchParams | undefined
  /** Leaves the app for the provider. */
  navigate(url: string): void
  transientStorage: TransientStorage
  store: KeyValueStore
  storageProblem?: string
  fetch: typeof fetch
  now(): number
}

/** The session's actions, as the UI calls them. */
export interface Session {
  getState(): SessionState
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: SessionState) => void): () => void
  start(): Promise<void>
  select(profileId: string): Promise<void>
  login(): Promise<void>
  logout(): Promise<void>
  dismissAlert(id: number): void
  /** Checks a held token's signature and claims against the selected profile; never throws. */
  inspect(kind: TokenKind, token: string): Promise<Inspection>
  /** Checks a pasted token with a pasted key; nothing is stored. Never throws. */
  inspectPasted(token: string, keyText: string): Promise<Inspection>
}

const SELECTED_KEY = 'selected'

/** The redirect URI: the app's own URL, origin + path, no query or fragment. */
export function appRedirectUri(url: URL): string {
  return url.origin + url.pathname
}

/** Creates the session controller: profiles, login, callback, tokens and alerts. */
export function createSession(env: SessionEnvironment): Session {
  let state: SessionState = { ...initialState(), storageProblem: env.storageProblem }
  const listeners = new Set<(state: SessionState) => void>()
  let alertSeq = 0
  const jwksCache: JwksCache = new Map()

  const update = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch }
    for (const listener of listeners) listener(state)
  }

  const alert = (cause: unknown, step: string) => {
    const error = toAppError(cause, step)
    const item: Alert = {
      id: ++alertSeq,
      code: error.displayCode,
      message: error.message,
      hint: error.hint,
      ...(error.errorDescription !== undefined ? { description: error.errorDescription } : {}),
    }
    update({ alerts: [...state.alerts, item] })
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

  const endpointsOf = async (profile: Profile) => {
    const result = await resolveEndpoints(profile, env.store, { fetch: env.fetch, now: env.now() })
    if (result.fallback) {
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

  const showTokensOf = async (profileId: string | undefined) => {
    update({ tokens: profileId === undefined ? undefined : await readTokens(env.store, profileId) })
  }

  const finishCallback = async (params: URLSearchParams) => {
    try {
      const redirectUri = appRedirectUri(env.url)
      const { profile, tokens } = await completeAuthorization(params, {
        storage: env.transientStorage,
        now: () => env.now(),
        redirectUri,
        fetch: env.fetch,
        resolve: async (profileId) => {
          const profile = requireProfile(profileId)
          return { profile, endpoints: await endpointsOf(profile) }
        },
      })
      await writeTokens(env.store, profile.id, tokens)
      await env.store.set(SELECTED_KEY, profile.id)
      update({ selectedId: profile.id, tokens })
    } catch (cause) {
      alert(cause, 'token request')
    }
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async start() {
      const params = env.callback
      sweepTransients(env.transientStorage, env.now())

      const providersUrl = new URL('providers.json', env.url)
      const catalog = await loadCatalog(env.store, providersUrl, env.fetch)
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
      if (params !== undefined) {
        update({ busy: true })
        await finishCallback(params)
        update({ busy: false })
      } else {
        await showTokensOf(selectedId)
      }
      update({ ready: true })
    },

    async select(profileId) {
      if (listed(profileId) === undefined) return
      update({ selectedId: profileId })
      await env.store.set(SELECTED_KEY, profileId)
      await showTokensOf(profileId)
    },

    async login() {
      const id = state.selectedId
      if (id === undefined) return
      update({ busy: true })
      try {
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
        if (warning !== undefined)
          alert(
            new AppError('discovery_failed', warning, "Check the provider's PKCE settings."),
            'discovery',
          )
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
      if (id === undefined) return
      await deleteTokens(env.store, id)
      update({ tokens: undefined })
    },

    dismissAlert(id) {
      update({ alerts: state.alerts.filter((item) => item.id !== id) })
    },

    // The inspector is loaded on first use (and jose only when a signature needs checking).
    async inspect(kind, token) {
      const profile = listed(state.selectedId)?.profile
      const { inspectProfileToken } = await import('./inspect')
      return inspectProfileToken(token, kind, profile, {
        fetch: env.fetch,
        now: env.now(),
        store: env.store,
        jwksCache,
      })
    },

    async inspectPasted(token, keyText) {
      const { inspectPastedToken } = await import('./inspect')
      return inspectPastedToken(token, keyText, { fetch: env.fetch, now: env.now(), jwksCache })
    },
  }
}
