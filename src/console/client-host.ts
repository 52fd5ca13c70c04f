import { createAuthClient, type AuthClient } from '../core'
import type { AuthEnvironment, TabChannel } from '../core/environment'
import type { DiscoveryMemory } from '../core/protocol/endpoints'
import { REQUEST_TIMEOUT_MS } from '../core/protocol/server'
import { pendingLoginProfile, type TransientStorage } from '../core/protocol/transient'
import { serverFingerprint } from '../core/profile/server-fingerprint'
import type { ListedProfile } from '../core/profile/types'
import { AppError } from '../core/protocol/errors'
import type { RequestRecord } from '../core/types'
import type { KeyValueStore } from '../core/storage/kv'
import type { ChannelLike, LockManagerLike, TabMessage, Timers } from '../core/refresh/token-getter'
import type { Notices } from './notices'
import type { SessionState } from './state'
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
  /** `navigator.onLine`: false when the browser knows it has no network. Default: online. */
  online?(): boolean
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

/** The page's own timers, looked up at each call (so test clocks govern them). */
export const pageTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}

/** The redirect URI: the app's own URL, origin + path, no query or fragment. */
export function appRedirectUri(url: URL): string {
  return url.origin + url.pathname
}

/** What the client host needs from the session. */
export interface ClientHostDeps {
  env: SessionEnvironment
  timers: Timers
  discoveries: DiscoveryMemory
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
  const update = (patch: Partial<SessionState>) => {
    deps.update(patch)
  }
  const record = (entry: RequestRecord) => {
    deps.record(entry)
  }
  let client: AuthClient | undefined
  let clientServer: string | undefined
  /** The callback this page load carried, until the client it answers has read it. */
  let callbackUrl: URL | undefined
  /** The current client's end of the tabs' channel: one channel, one listener. */
  let clientListener: ((message: TabMessage) => void) | undefined
  const wakeListeners = new Set<() => void>()
  const { toAlert, alert } = notices

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
        ...(reason ? { alerts: [...deps.getState().alerts, notices.signOutAlert(reason)] } : {}),
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
        alerts: [...deps.getState().alerts, gaveUpAlert(toAlert(error, 'refresh request'))],
      })
    })
    created.on('request', record)
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
    update({ retrying: undefined })
    const selected = deps.listed(profileId)?.profile
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
    if (client === created) update({ tokens: created.tokens() })
  }

  /** Completes this page load's callback with the client of the profile that started the login. */
  const finishCallback = async (params: URLSearchParams) => {
    const sent = params.get('state')
    const owner = sent === null ? undefined : pendingLoginProfile(env.transientStorage, sent)
    if (owner !== undefined && deps.listed(owner) === undefined) {
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
    callbackUrl = new URL(env.url)
    for (const [name, value] of params) callbackUrl.searchParams.append(name, value)
    await use(profileId, true)
    callbackUrl = undefined
  }

  return {
    current: () => client,
    server: () => clientServer,
    use,
    finishCallback,
    receive: (message) => clientListener?.(message),
    wake: () => {
      for (const listener of wakeListeners) listener()
    },
  }
}
