import { AppError } from '../protocol/app-error'
import type { KeyValueStore } from '../storage/kv'
import {
  deleteTokens,
  readHeldTokens,
  readTokens,
  writeTokens,
  type StoredTokens,
} from '../storage/token-store'
import { createLockedRefresh, notSignedIn, type TokenSlot } from './locked-refresh'
import { createRefreshTimer, type Timers } from './refresh-timer'
import { needsRefresh } from './refresh-policy'
import { createRetryingRefresh, type RetryEvent } from './retrying-refresh'
import {
  createTabs,
  type ChannelLike,
  type LockManagerLike,
  type SignOutReason,
  type TabMessage,
} from './tabs'

export type { ChannelLike, LockManagerLike, SignOutReason, TabMessage } from './tabs'
export type { Timers } from './refresh-timer'

/** What the getter reports to the session. */
export type TokenEvent =
  | { type: 'updated'; tokens: StoredTokens }
  | { type: 'signed-out'; reason?: SignOutReason }
  | RetryEvent

/** Options of {@link createTokenGetter}. */
export interface TokenGetterOptions {
  profileId: string
  /**
   * The fingerprint of the server the profile names now (`serverFingerprint`): tokens are stamped
   * with it and only tokens bearing it are ever read back, refreshed or sent.
   */
  server: string
  /** Prefix of the Web Lock's name: the deployment's namespace, so two copies never share one. */
  lockPrefix?: string
  store: KeyValueStore
  now: () => number
  /** Performs the refresh request; throws an AppError. */
  refresh: (tokens: StoredTokens) => Promise<StoredTokens>
  locks?: LockManagerLike
  channel?: ChannelLike
  onEvent: (event: TokenEvent) => void
  timers: Timers
  marginMs?: number
  /** Refresh attempts after transient failures before giving up (tokens are kept). */
  maxAttempts?: number
}

/** The token getter of one profile: what every API call goes through. */
export interface TokenGetter {
  /** The tokens held in memory. */
  current(): StoredTokens | undefined
  /**
   * Reads the stored tokens into memory and arms the proactive timer. Tokens another server issued
   * under this profile id are never used; with `forgetForeign` (the profiles were just read afresh:
   * start-up, or another tab's announcement) they are deleted too, with a `server_changed` reason.
   */
  load(options?: { forgetForeign?: boolean }): Promise<StoredTokens | undefined>
  /**
   * Stores freshly issued tokens (after login) inside the lock and tells the other tabs. Tokens
   * stamped with another server's fingerprint (the profile moved during the exchange) are refused.
   */
  set(tokens: StoredTokens): Promise<void>
  /**
   * The access token to use now: from memory when valid beyond the margin (no I/O), else after a
   * refresh shared by all callers in this tab and serialized across tabs by a Web Lock.
   */
  get(): Promise<string>
  /** Refreshes even if valid (Refresh now, or after a 401 with `stale` as the token refused). */
  refreshNow(stale?: string): Promise<StoredTokens>
  /** Re-checks expiry: on visibilitychange, since timers stall while a laptop sleeps. */
  check(): void
  /**
   * Deletes the tokens here and in every tab, after any refresh in flight and inside the lock, so
   * no refresh can write them back. Returns the tokens it deleted (the ones to revoke).
   */
  signOut(reason?: SignOutReason): Promise<StoredTokens | undefined>
  /** Handles a message from another tab. */
  receive(message: TabMessage): Promise<void>
  /** Stops the proactive timer. */
  dispose(): void
}

/** Why tokens held under a profile id were forgotten rather than used. */
const serverChanged = (): SignOutReason => ({
  code: 'server_changed',
  message:
    'The tokens held for this profile were issued by a server it no longer names (its issuer, endpoints, Client ID or API origins changed, or they predate this check); they were forgotten and never sent.',
})

/**
 * Creates the token getter. Decisions are the pure functions of `refresh-policy.ts`; the single
 * flight under the cross-tab lock is `locked-refresh.ts`, retries `retrying-refresh.ts`, the timer
 * `refresh-timer.ts`, the lock and announcements `tabs.ts`. This module holds the tokens.
 */
export function createTokenGetter(options: TokenGetterOptions): TokenGetter {
  const { profileId, server, store, now, onEvent } = options
  const tabs = createTabs({
    profileId,
    server,
    ...(options.lockPrefix !== undefined ? { lockPrefix: options.lockPrefix } : {}),
    ...(options.locks ? { locks: options.locks } : {}),
    ...(options.channel ? { channel: options.channel } : {}),
  })
  const read = () => readTokens(store, profileId, server)
  let current: StoredTokens | undefined
  let disposed = false
  // A disposed getter (the user picked another profile) must not touch the page's state.
  const emit = (event: TokenEvent) => {
    if (!disposed) onEvent(event)
  }
  const due = (tokens: StoredTokens) => needsRefresh(tokens, now(), options.marginMs)
  const timer = createRefreshTimer({
    timers: options.timers,
    now,
    marginMs: options.marginMs,
    held: () => current,
    onDue: () => void ensureFresh().catch(() => undefined),
  })
  const hold = (tokens: StoredTokens | undefined) => {
    current = tokens
    timer.arm()
  }

  const slot: TokenSlot = {
    current: () => current,
    read,
    async write(tokens) {
      const stamped = { ...tokens, server }
      await writeTokens(store, profileId, stamped)
      return stamped
    },
    adopt(tokens) {
      hold(tokens)
      emit(tokens ? { type: 'updated', tokens } : { type: 'signed-out' })
    },
    async clear(reason) {
      // Another server's tokens under the same id (a tab holding the profile's new version) stay.
      if ((await read()) !== undefined) await deleteTokens(store, profileId)
      hold(undefined)
      tabs.signedOut(reason)
      emit({ type: 'signed-out', ...(reason ? { reason } : {}) })
    },
  }
  const refresh = createLockedRefresh({ tabs, slot, due, refresh: options.refresh })
  const ensureFresh = createRetryingRefresh({
    attempt: () => refresh.run(false),
    current: () => current,
    now,
    timers: options.timers,
    retryIn: (ms) => {
      timer.retryIn(ms)
    },
    emit,
    maxAttempts: options.maxAttempts ?? 5,
  })

  return {
    current: () => current,

    async load(loadOptions = {}) {
      const held = await readHeldTokens(store, profileId)
      if (held !== undefined && held.server !== server) {
        // Issued for another version of this profile id (another issuer, endpoint, client or API
        // origin, or before tokens carried a fingerprint): never sent. Forgotten only when this
        // tab's profiles are fresh: a tab left open on an old version must not wipe a login that
        // another tab just made at the new server.
        hold(undefined)
        if (loadOptions.forgetForeign === true) {
          await deleteTokens(store, profileId)
          emit({ type: 'signed-out', reason: serverChanged() })
        }
        return undefined
      }
      hold(held)
      return current
    },

    async set(tokens) {
      if (tokens.server !== undefined && tokens.server !== server) {
        throw new AppError(
          'profile_changed',
          'The profile was changed while this login was in progress: the tokens belong to the server it named before, so they were not stored.',
        )
      }
      // Inside the lock: a refresh in another tab (of any version of the profile) never writes over it.
      const stamped = await tabs.locked(() => slot.write(tokens))
      tabs.tokensUpdated()
      slot.adopt(stamped)
    },

    async get() {
      // The hot path: no I/O, no allocation beyond the promise.
      if (current !== undefined && !due(current)) return current.access_token
      if (current === undefined) {
        current = await read()
        if (current === undefined) throw notSignedIn()
        timer.arm()
        if (!due(current)) return current.access_token
      }
      return (await ensureFresh()).access_token
    },

    refreshNow(stale) {
      if (current === undefined) return Promise.reject(notSignedIn())
      return refresh.run(true, stale ?? current.access_token)
    },

    check() {
      if (current !== undefined && due(current)) void ensureFresh().catch(() => undefined)
    },

    async signOut(reason) {
      await refresh.settled()
      return tabs.locked(async () => {
        const stored = (await read()) ?? current
        await slot.clear(reason)
        return stored
      })
    },

    async receive(message) {
      if (!tabs.concerns(message)) return
      if (message.type === 'tokens-updated') {
        slot.adopt(await read())
      } else {
        hold(undefined)
        emit({ type: 'signed-out', ...(message.reason ? { reason: message.reason } : {}) })
      }
    },

    dispose() {
      disposed = true
      timer.stop()
    },
  }
}
