import { AppError, toAppError } from '../protocol/errors'
import { isRevocation, isTransient } from '../protocol/refresh'
import type { KeyValueStore } from '../storage/kv'
import {
  deleteTokens,
  readHeldTokens,
  readTokens,
  writeTokens,
  type StoredTokens,
} from '../storage/token-store'
import { backoffDelay, isExpired, needsRefresh, nextCheckDelay } from './refresh-policy'

/** The part of the Web Locks API used here (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void
}

/**
 * What one tab tells the others about a profile's tokens (for the server with fingerprint
 * `server`: a tab holding another version of the profile ignores it), or that the saved profiles
 * changed. Never carries a token.
 */
export type TabMessage =
  | { type: 'tokens-updated'; profileId: string; server: string }
  | { type: 'signed-out'; profileId: string; server: string; reason?: SignOutReason }
  | { type: 'profiles-changed' }

/**
 * Why a session ended, as told to every tab: `code` is the provider's OAuth error when it sent
 * one (`invalid_grant`), else the app's own (`server_changed`). What to do about it is the
 * caller's to say.
 */
export interface SignOutReason {
  code: string
  message: string
}

/** What the getter reports to the session. */
export type TokenEvent =
  | { type: 'updated'; tokens: StoredTokens }
  | { type: 'signed-out'; reason?: SignOutReason }
  | { type: 'retrying'; error: AppError; attempt: number; delayMs: number }
  | { type: 'recovered' }
  | { type: 'gave-up'; error: AppError }

/** Timers, injectable for tests with fake timers. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

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

const notSignedIn = () => new AppError('not_signed_in', 'There is no session for this provider.')

/**
 * Creates the token getter. Decisions are the pure functions of `refresh-policy.ts`; this module
 * adds the single flight, the cross-tab lock and announcements, retries and the timer.
 */
export function createTokenGetter(options: TokenGetterOptions): TokenGetter {
  const { profileId, server, store, now, onEvent } = options
  const { timers } = options
  const maxAttempts = options.maxAttempts ?? 5
  const lockName = `${options.lockPrefix ?? 'pkce-console'}:refresh:${profileId}`
  const read = () => readTokens(store, profileId, server)
  const stamp = (tokens: StoredTokens): StoredTokens => ({ ...tokens, server })
  const locked = <T>(work: () => Promise<T>): Promise<T> =>
    options.locks ? options.locks.request(lockName, work) : work()
  const announce = () => {
    options.channel?.postMessage({ type: 'tokens-updated', profileId, server } satisfies TabMessage)
  }
  let current: StoredTokens | undefined
  let timer: unknown
  let inflight: Promise<StoredTokens> | undefined
  let ensuring: Promise<StoredTokens> | undefined
  let disposed = false
  /** Transient refresh failures in a row; sets the backoff, reset by a success. */
  let failures = 0
  // A disposed getter (the user picked another profile) must not touch the page's state.
  const emit = (event: TokenEvent) => {
    if (!disposed) onEvent(event)
  }

  const due = (tokens: StoredTokens) => needsRefresh(tokens, now(), options.marginMs)

  /**
   * Sets the refresh timer: it polls (at most every POLL_INTERVAL_MS) and refreshes once the clock
   * says the token is due, so a device waking from sleep refreshes within one poll.
   */
  const arm = () => {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
    const delay =
      current && !disposed ? nextCheckDelay(current, now(), options.marginMs) : undefined
    if (delay === undefined) return
    // A little late rather than early: a timer firing before the margin would find nothing to do.
    timer = timers.setTimeout(() => {
      timer = undefined
      if (current !== undefined && due(current)) void ensureFresh().catch(() => undefined)
      else arm()
    }, delay + 25)
  }

  const adopt = (tokens: StoredTokens | undefined) => {
    current = tokens
    arm()
    emit(tokens ? { type: 'updated', tokens } : { type: 'signed-out' })
  }

  const clear = async (reason?: SignOutReason) => {
    // Another server's tokens under the same id (a tab holding the profile's new version) stay.
    if ((await read()) !== undefined) await deleteTokens(store, profileId)
    current = undefined
    arm()
    options.channel?.postMessage({
      type: 'signed-out',
      profileId,
      server,
      ...(reason ? { reason } : {}),
    } satisfies TabMessage)
    emit({ type: 'signed-out', ...(reason ? { reason } : {}) })
  }

  /** One refresh at a time per tab; inside the lock, another tab's refresh is adopted instead. */
  const refreshOnce = (force: boolean, stale?: string): Promise<StoredTokens> => {
    const run = async (): Promise<StoredTokens> => {
      const stored = await read()
      if (stored === undefined) {
        if (current !== undefined) adopt(undefined)
        throw notSignedIn()
      }
      const replaced = stored.access_token !== (stale ?? current?.access_token)
      if (replaced && !due(stored)) {
        adopt(stored)
        return stored
      }
      if (!force && !due(stored)) return stored
      let next: StoredTokens
      try {
        next = await options.refresh(stored)
      } catch (cause) {
        const error = toAppError(cause, 'refresh request')
        if (isRevocation(error)) {
          await clear({
            code: error.displayCode,
            message: `The provider refused to refresh the session (${error.displayCode}): access was revoked or has expired. You have been signed out.`,
          })
        }
        throw error
      }
      const stamped = stamp(next)
      await writeTokens(store, profileId, stamped)
      announce()
      adopt(stamped)
      return stamped
    }
    inflight ??= locked(run).finally(() => {
      inflight = undefined
    })
    return inflight
  }

  const sleep = (ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms))

  /**
   * Refreshes when due, retrying transient failures with backoff. While the old token is still
   * valid (inside the margin) a failure is no reason to wait: the old token is used.
   */
  const ensureFresh = (): Promise<StoredTokens> => {
    ensuring ??= (async () => {
      for (;;) {
        try {
          const tokens = await refreshOnce(false)
          if (failures > 0) emit({ type: 'recovered' })
          failures = 0
          return tokens
        } catch (cause) {
          const error = toAppError(cause, 'refresh request')
          if (!isTransient(error) || current === undefined) throw error
          failures += 1
          if (failures >= maxAttempts) {
            failures = 0
            emit({ type: 'gave-up', error })
            throw error
          }
          const delayMs = backoffDelay(failures)
          emit({ type: 'retrying', error, attempt: failures, delayMs })
          if (!isExpired(current, now())) {
            // Still usable: retry in the background, answer now.
            if (!disposed) {
              // The retry replaces the proactive timer (which would fire too late, or not at all).
              if (timer !== undefined) timers.clearTimeout(timer)
              timer = timers.setTimeout(() => {
                timer = undefined
                void ensureFresh().catch(() => undefined)
              }, delayMs)
            }
            return current
          }
          await sleep(delayMs)
        }
      }
    })().finally(() => {
      ensuring = undefined
    })
    return ensuring
  }

  return {
    current: () => current,

    async load(loadOptions = {}) {
      const held = await readHeldTokens(store, profileId)
      if (held !== undefined && held.server !== server) {
        // Issued for another version of this profile id (another issuer, endpoint, client or API
        // origin, or before tokens carried a fingerprint): never sent. Forgotten only when this
        // tab's profiles are fresh: a tab left open on an old version must not wipe a login that
        // another tab just made at the new server.
        current = undefined
        arm()
        if (loadOptions.forgetForeign === true) {
          await deleteTokens(store, profileId)
          emit({ type: 'signed-out', reason: serverChanged() })
        }
        return undefined
      }
      current = held
      arm()
      return current
    },

    async set(tokens) {
      if (tokens.server !== undefined && tokens.server !== server) {
        throw new AppError(
          'profile_changed',
          'The profile was changed while this login was in progress: the tokens belong to the server it named before, so they were not stored.',
        )
      }
      const stamped = stamp(tokens)
      // Inside the lock: a refresh in another tab (of any version of the profile) never writes over it.
      await locked(() => writeTokens(store, profileId, stamped))
      announce()
      adopt(stamped)
    },

    async get() {
      // The hot path: no I/O, no allocation beyond the promise.
      if (current !== undefined && !due(current)) return current.access_token
      if (current === undefined) {
        current = await read()
        if (current === undefined) throw notSignedIn()
        arm()
        if (!due(current)) return current.access_token
      }
      return (await ensureFresh()).access_token
    },

    refreshNow(stale) {
      if (current === undefined) return Promise.reject(notSignedIn())
      return refreshOnce(true, stale ?? current.access_token)
    },

    check() {
      if (current !== undefined && due(current)) void ensureFresh().catch(() => undefined)
    },

    async signOut(reason) {
      await inflight?.catch(() => undefined)
      const run = async () => {
        const stored = (await read()) ?? current
        await clear(reason)
        return stored
      }
      return locked(run)
    },

    async receive(message) {
      if (message.type === 'profiles-changed') return
      if (message.profileId !== profileId || message.server !== server) return
      if (message.type === 'tokens-updated') {
        adopt(await read())
      } else {
        current = undefined
        arm()
        emit({ type: 'signed-out', ...(message.reason ? { reason: message.reason } : {}) })
      }
    },

    dispose() {
      disposed = true
      arm()
    },
  }
}
