import type { TransientStorage } from './protocol/transient'
import type { KeyValueStore } from './storage/kv'
import type { ChannelLike, LockManagerLike, TabMessage, Timers } from './refresh/token-getter'

/**
 * Everything the library takes from its surroundings, in one object: the browser's globals in an
 * app (`browserEnvironment`), fakes in tests. Nothing else under `src/core/` touches a global.
 */
export interface AuthEnvironment {
  fetch: typeof fetch
  now(): number
  timers: Timers
  /** Opens the token store (IndexedDB, or memory when IndexedDB is unavailable). */
  openStore(): Promise<KeyValueStore>
  /** Where login and logout records wait across the redirect (sessionStorage, namespaced). */
  transientStorage: TransientStorage
  locks?: LockManagerLike
  /** Opens this client's end of the channel the app's tabs share; `undefined` where none exists. */
  openChannel?(): TabChannel
  /** Names the database, channel, locks and records: two deployments on one origin share none. */
  namespace: string
  /** The page's URL now. */
  location(): URL
  /** Replaces the address bar's URL without a navigation (`history.replaceState`). */
  replaceUrl(url: string): void
  /** Leaves the page for `url`. */
  navigate(url: string): void
  /** Calls `listener` when the page is shown again (timers stall while a device sleeps). */
  onVisible?(listener: () => void): () => void
}

/** One client's end of the tabs' channel. */
export interface TabChannel extends ChannelLike {
  subscribe(listener: (message: TabMessage) => void): void
  close(): void
}
