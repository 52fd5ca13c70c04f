import {
  completeEndSession,
  isLogoutReturn,
  startEndSession,
  AppError,
  type Endpoints,
  isPendingLogin,
  type TransientStorage,
  type Profile,
  type KeyValueStore,
  type TimelineEntry,
} from '../core/tools'
import type { Tokens } from '../core'
import type { ApiRequest, ApiResponse } from './api'
import type { SessionState } from './state'

/** What the provider-session actions need from the session. */
export interface ProviderSessionDeps {
  env: {
    url: URL
    transientStorage: TransientStorage
    store: KeyValueStore
    navigate(url: string): void
    now(): number
  }
  getState(): SessionState
  update(patch: Partial<SessionState>): void
  record(entry: Omit<TimelineEntry, 'id'>): void
  alert(cause: unknown, step: string): void
  requireProfile(id: string): Profile
  /** The session's endpoint resolution (discovery, with its fallback alert). */
  endpointsOf(profile: Profile): Promise<Endpoints>
  /** The session's API console send: through the token getter, shown in the API region. */
  send(request: ApiRequest): Promise<ApiResponse | undefined>
  /** The redirect URI of this app: also its post-logout redirect URI. */
  appUrl: string
}

/** Actions at the provider beyond tokens: userinfo and RP-initiated logout. */
export interface ProviderSessionActions {
  /** Calls the profile's userinfo endpoint through the token getter; the answer is the API's. */
  userinfo(): Promise<void>
  /** After Log out: offers ending the provider's session when it has an `end_session_endpoint`. */
  offerEndSession(profileId: string, tokens: Tokens): Promise<void>
  /** Leaves for the provider's logout page (RP-initiated logout). */
  endProviderSession(): void
  /** Handles this page load's parameters when they are a logout return; true when they were. */
  finishLogoutReturn(params: URLSearchParams): boolean
}

/** One auth-param of a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3), when present. */
function challengeParam(challenge: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(challenge)?.[1]
}

/**
 * Explains a 403 from userinfo: the token lacks a scope the endpoint needs (RFC 6750 §3.1
 * `insufficient_scope`), most likely `openid`, without which there is no userinfo (OpenID Connect
 * Core §5.3). Uses the provider's challenge when CORS lets the app read it.
 */
function userinfoForbidden(response: ApiResponse): AppError {
  const challenge =
    response.headers.find(([name]) => name.toLowerCase() === 'www-authenticate')?.[1] ?? ''
  const error = challengeParam(challenge, 'error') ?? 'insufficient_scope'
  const description = challengeParam(challenge, 'error_description')
  const scope = challengeParam(challenge, 'scope') ?? 'openid'
  return new AppError(
    'oauth_error',
    `The userinfo endpoint refused the access token (HTTP 403, ${error}): the token's scope most likely lacks "${scope}", which userinfo needs.`,
    {
      error,
      ...(description !== undefined ? { errorDescription: description } : {}),
      detail: { scope },
    },
  )
}

/**
 * Creates the userinfo and RP-initiated logout actions. The ID token kept for `id_token_hint`
 * after Log out lives in this closure only, never in state or storage.
 */
export function createProviderSessionActions(deps: ProviderSessionDeps): ProviderSessionActions {
  const { env } = deps
  let pending: { profile: Profile; endpoint: string; idToken: string | undefined } | undefined

  return {
    async userinfo() {
      const id = deps.getState().selectedId
      if (id === undefined) return
      try {
        const profile = deps.requireProfile(id)
        const endpoints = await deps.endpointsOf(profile)
        const url = endpoints.as.userinfo_endpoint
        if (url === undefined) {
          throw new AppError(
            'invalid_profile',
            `The profile "${profile.name}" has no userinfo endpoint.`,
            { detail: { field: 'userinfo_endpoint' } },
          )
        }
        const response = await deps.send({
          method: 'GET',
          url,
          headers: [['accept', 'application/json']],
        })
        if (response?.status === 403) throw userinfoForbidden(response)
      } catch (cause) {
        deps.alert(cause, 'userinfo request')
      }
    },

    async offerEndSession(profileId, tokens) {
      const profile = deps.requireProfile(profileId)
      let endpoints: Endpoints
      try {
        // Just resolved by Log out (cached metadata, or a remembered failure): no new request or
        // alert, and any request there is goes through the timeline.
        endpoints = await deps.endpointsOf(profile)
      } catch {
        return
      }
      const endpoint = endpoints.as.end_session_endpoint
      if (endpoint === undefined) return
      pending = { profile, endpoint, idToken: tokens.id_token }
      deps.update({ endSession: { profileName: profile.name } })
    },

    endProviderSession() {
      if (pending === undefined) return
      const url = startEndSession(pending.endpoint, {
        storage: env.transientStorage,
        profileId: pending.profile.id,
        clientId: pending.profile.client_id,
        idTokenHint: pending.idToken,
        postLogoutRedirectUri: pending.profile.redirect_uri ?? deps.appUrl,
        now: env.now(),
      })
      deps.record({ at: env.now(), step: 'logout', method: 'GET', url: url.href })
      pending = undefined
      deps.update({ endSession: undefined })
      env.navigate(url.href)
    },

    finishLogoutReturn(params) {
      if (!isLogoutReturn(params, (state) => isPendingLogin(env.transientStorage, state)))
        return false
      try {
        completeEndSession(env.transientStorage, params, env.now())
        deps.record({
          at: env.now(),
          step: 'logout',
          note: 'back from the provider logout page; state checked',
        })
      } catch (cause) {
        deps.alert(cause, 'logout')
      }
      return true
    },
  }
}
