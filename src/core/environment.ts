import type { TransientStorage } from './protocol/transient'
import type { KeyValueStore } from './storage/kv'
import type { ChannelLike, LockManagerLike, TabMessage, Timers } from './refresh/token-getter'

/**
 * Everything the library takes from its surroundings, in one object: the browser's globals in an
 * app (`browserEnvironment`), fakes in tests. Nothing else under `src/core/` touches a global.
 */
export interface AuthEnvironment {
  /** Sends every request (the client adds the timeout and the `request` events). */
  fetch: typeof fetch
  /** The time, ms since the epoch. */
  now(): number
  /** `setTimeout`/`clearTimeout`: the refresh timer, retries and request timeouts. */
  timers: Timers
  /** Opens the token store (IndexedDB, or memory when IndexedDB is unavailable). */
  openStore(): Promise<KeyValueStore>
  /** Where login and logout records wait across the redirect (sessionStorage, namespaced). */
  transientStorage: TransientStorage
  /** The Web Locks API (`navigator.locks`): one refresh at a time across tabs. */
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

/**
 * One client's end of the channel the app's tabs share (a `BroadcastChannel`): new tokens and
 * sign-outs are told to every tab; messages never carry a token.
 *
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 */
export interface TabChannel extends ChannelLike {
  /** Calls `listener` with every message another tab posts. */
  subscribe(listener: (message: TabMessage) => void): void
  /** Stops listening. */
  close(): void
}
