import type {
  TransientStorage,
  KeyValueStore,
  ChannelLike,
  LockManagerLike,
  TabMessage,
  Timers,
} from '../core/tools'

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
