import { AppError, asAppError } from '../protocol/app-error'
import type { StoredTokens } from '../storage/token-store'
import { isRevocation } from './refresh-policy'
import type { SignOutReason, Tabs } from './tabs'

/** This tab's hold on one profile's tokens, as a refresh uses it. */
export interface TokenSlot {
  /** The tokens held in memory. */
  current(): StoredTokens | undefined
  /** The stored tokens of this profile at this server. */
  read(): Promise<StoredTokens | undefined>
  /** Stores tokens stamped with this server's fingerprint; resolves with what it stored. */
  write(tokens: StoredTokens): Promise<StoredTokens>
  /** Holds `tokens` (or none) in memory and reports them. */
  adopt(tokens: StoredTokens | undefined): void
  /** Deletes the tokens here and tells every tab, with `reason`. */
  clear(reason?: SignOutReason): Promise<void>
}

/** One refresh at a time in this tab, and one at a time across tabs. */
export interface LockedRefresh {
  /**
   * Refreshes when the stored token is due, or even if not with `force`. Inside the lock, tokens
   * another tab refreshed meanwhile (not `stale`, the token the caller holds) are adopted instead.
   * A refresh the provider refuses (access revoked) clears the session in every tab.
   */
  run(force: boolean, stale?: string): Promise<StoredTokens>
  /** Settles once the refresh in flight has (never rejecting); `undefined` when there is none. */
  settled(): Promise<void> | undefined
}

/** The rejection when there is no session to take a token from. */
export const notSignedIn = () =>
  new AppError('not_signed_in', 'There is no session for this provider.')

/** The single flight of refreshes, serialized across tabs by the profile's lock. */
export function createLockedRefresh(options: {
  tabs: Pick<Tabs, 'locked' | 'tokensUpdated'>
  slot: TokenSlot
  /** Whether tokens are due for a refresh now. */
  due: (tokens: StoredTokens) => boolean
  /** Performs the refresh request; throws an AppError (classified where oauth4webapi runs). */
  refresh: (tokens: StoredTokens) => Promise<StoredTokens>
}): LockedRefresh {
  const { tabs, slot, due } = options
  let inflight: Promise<StoredTokens> | undefined

  const run = async (force: boolean, stale: string | undefined): Promise<StoredTokens> => {
    const stored = await slot.read()
    if (stored === undefined) {
      if (slot.current() !== undefined) slot.adopt(undefined)
      throw notSignedIn()
    }
    const replaced = stored.access_token !== (stale ?? slot.current()?.access_token)
    if (replaced && !due(stored)) {
      slot.adopt(stored)
      return stored
    }
    if (!force && !due(stored)) return stored
    let next: StoredTokens
    try {
      next = await options.refresh(stored)
    } catch (cause) {
      const error = asAppError(cause, 'refresh request')
      if (isRevocation(error)) {
        await slot.clear({
          code: error.displayCode,
          message: `The provider refused to refresh the session (${error.displayCode}): access was revoked or has expired. You have been signed out.`,
        })
      }
      throw error
    }
    const stamped = await slot.write(next)
    tabs.tokensUpdated()
    slot.adopt(stamped)
    return stamped
  }

  return {
    run(force, stale) {
      inflight ??= tabs
        .locked(() => run(force, stale))
        .finally(() => {
          inflight = undefined
        })
      return inflight
    },
    settled: () =>
      inflight?.then(
        () => undefined,
        () => undefined,
      ),
  }
}
