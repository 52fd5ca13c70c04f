import { createAuthClient, type AuthClient } from '../core'
import {
  type DiscoveryMemory,
  type JwksCache,
  REQUEST_TIMEOUT_MS,
  pendingLoginProfile,
  takeTransient,
  serverFingerprint,
  type ListedProfile,
  AppError,
  type TabMessage,
  type Timers,
} from '../core/tools'
import type { RequestRecord } from '../core'
import { createClientEnvironment } from './client-environment'
import type { Notices } from './notices'
import type { SessionEnvironment } from './session-environment'
import type { SessionState } from './state'
import { gaveUpAlert, retryingNotice } from './token-events'

export { appRedirectUri, pageTimers, type SessionEnvironment } from './session-environment'

/** What the client host needs from the session. */
export interface ClientHostDeps {
  env: SessionEnvironment
  timers: Timers
  discoveries: DiscoveryMemory
  /** The page's JWK Sets: the client's ID token check and the inspector share them. */
  jwksCache: JwksCache
  notices: Notices
  getState(): SessionState
  update(patch: Partial<SessionState>): void
  record(entry: RequestRecord): void
  listed(id: string | undefined): ListedProfile | undefined
  /** Makes `profileId` the selected profile (state and storage). */
  remember(profileId: string): Promise<void>
  /** Whether the user let the bearer token of `profileId` go to `origin`. */
  isConfirmed(profileId: string, origin: string): boolean
}

/** The library client of the selected profile, as the session holds it. */
export interface ClientHost {
  current(): AuthClient | undefined
  /** The server fingerprint the current client was made for. */
  server(): string | undefined
  /**
   * Makes the client of `profileId` (one per tab and profile) and loads its session. `fresh`:
   * the profiles were just read (start-up, a callback, another tab's announcement), so tokens
   * another server issued under this id are forgotten, not only left unused.
   */
  use(profileId: string | undefined, fresh?: boolean): Promise<void>
  /** Completes this page load's callback with the client of the profile that started the login. */
  finishCallback(params: URLSearchParams): Promise<void>
  /** A message of another tab for the current client. */
  receive(message: TabMessage): void
  /** Re-checks expiry (the page became visible again). */
  wake(): void
}

/**
 * Holds one {@link AuthClient} at a time, for the selected profile, and maps its events onto the
 * console's state: tokens, sign-outs and refresh notices, timeline records, warnings.
 */
export function createClientHost(deps: ClientHostDeps): ClientHost {
  const { env, timers, discoveries, notices } = deps
  let client: AuthClient | undefined
  let clientServer: string | undefined
  const clients = createClientEnvironment(env, timers)
  const { toAlert, alert } = notices

  const listen = (created: AuthClient) => {
    created.on('tokens', (tokens) => {
      deps.update({ tokens, retrying: undefined })
    })
    created.on('signed-out', ({ reason }) => {
      deps.update({
        tokens: undefined,
        retrying: undefined,
        ...(reason ? { alerts: [...deps.getState().alerts, notices.signOutAlert(reason)] } : {}),
      })
    })
    created.on('refresh-retrying', ({ error, attempt, delayMs }) => {
      deps.update({ retrying: retryingNotice(toAlert(error, 'refresh request'), attempt, delayMs) })
    })
    created.on('refresh-recovered', () => {
      deps.update({ retrying: undefined })
    })
    created.on('refresh-failed', ({ error }) => {
      deps.update({
        retrying: undefined,
        alerts: [...deps.getState().alerts, gaveUpAlert(toAlert(error, 'refresh request'))],
      })
    })
    created.on('request', (entry) => {
      deps.record(entry)
    })
    created.on('warning', ({ error }) => {
      if (error.code === 'clock_skew') alert(error, 'token request')
      else notices.announceFallback(error)
    })
  }

  /**
   * Makes the client of the selected profile (one per tab and profile) and loads its session, or
   * completes the callback this page load carried for it. `fresh`: the profiles were just read
   * (start-up, a callback, another tab's announcement), so tokens another server issued under
   * this id are forgotten, not only left unused.
   */
  const use = async (profileId: string | undefined, fresh = false) => {
    client?.dispose()
    client = undefined
    clientServer = undefined
    deps.update({ retrying: undefined })
    const selected = deps.listed(profileId)?.profile
    if (profileId === undefined || selected === undefined) {
      deps.update({ tokens: undefined })
      return
    }
    // Tokens follow the server, not the id: the client only ever reads, refreshes and sends
    // tokens stamped with the fingerprint of the profile as it is now.
    const created = createAuthClient(selected, {
      environment: clients.environment(),
      discoveries,
      jwksCache: deps.jwksCache,
      forgetForeignTokens: fresh,
      unmaskedRequests: true,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      onUnknownOrigin: (url) => deps.isConfirmed(profileId, new URL(url).origin),
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
    if (client === created) deps.update({ tokens: created.tokens() })
  }

  /** Completes this page load's callback with the client of the profile that started the login. */
  const finishCallback = async (params: URLSearchParams) => {
    const sent = params.get('state')
    const owner = sent === null ? undefined : pendingLoginProfile(env.transientStorage, sent)
    if (owner !== undefined && deps.listed(owner) === undefined) {
      // Nothing is exchanged for it, ever: its verifier goes now, not at the ten-minute sweep.
      if (sent !== null) takeTransient(env.transientStorage, sent)
      alert(
        new AppError('invalid_profile', `The profile "${owner}" no longer exists.`, {
          detail: { field: 'id' },
        }),
        'token request',
      )
      return
    }
    // No login record for this state: the selected profile's client says why (state_mismatch,
    // no_pending_login, login_expired).
    const state = deps.getState()
    const profileId = owner ?? state.selectedId ?? state.profiles[0]?.profile.id
    if (profileId === undefined) return
    if (profileId !== state.selectedId) await deps.remember(profileId)
    const callbackUrl = new URL(env.url)
    for (const [name, value] of params) callbackUrl.searchParams.append(name, value)
    clients.showCallback(callbackUrl)
    await use(profileId, true)
    clients.showCallback(undefined)
  }

  return {
    current: () => client,
    server: () => clientServer,
    use,
    finishCallback,
    receive: clients.receive,
    wake: clients.wake,
  }
}
