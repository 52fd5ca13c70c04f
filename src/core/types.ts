import type { TimelineEntry } from './record'
import type { KeyValueStore } from './storage/kv'
import type { AuthError } from './auth-error'
import type { AuthEnvironment } from './environment'
import type { Tokens } from './tokens'

/** One HTTP step of the protocol, secrets masked: what a timeline shows (its entry, less the id). */
export type RequestRecord = Omit<TimelineEntry, 'id' | 'note'>

/** The events of an {@link AuthClient}, by name. */
export interface AuthEvents extends Record<string, unknown> {
  tokens: Tokens
  'signed-out': { reason: AuthError | undefined }
  'refresh-retrying': { error: AuthError; attempt: number; delayMs: number }
  'refresh-recovered': undefined
  'refresh-failed': { error: AuthError }
  request: RequestRecord
}

/** Options of {@link createAuthClient}; all optional. */
export interface AuthClientOptions {
  fetch?: typeof fetch
  /** Where tokens live: get/set/del. Default IndexedDB (idb-keyval), memory when it is unavailable. */
  storage?: Pick<KeyValueStore, 'get' | 'set' | 'del'>
  /** Prefixes the database, lock and channel; default: from the page's path. */
  namespace?: string
  /** Refresh this long before expiry (default 60 000; never more than a quarter of the lifetime). */
  refreshMarginMs?: number
  /** Abort a request to the provider after this long (default 15 000). */
  requestTimeoutMs?: number
  /** Whether the bearer token may go to `url`, whose origin the profile does not name. Default: no. */
  onUnknownOrigin?: (url: string) => boolean | Promise<boolean>
  /** The whole environment, for tests and non-browser hosts (`browserEnvironment` otherwise). */
  environment?: AuthEnvironment
}

/** The auth layer of one provider profile: see `README.md`, "Use the core in your app". */
export interface AuthClient {
  /**
   * On every page load: completes this client's callback (code or error, and `state`), cleans the
   * address bar and stores the tokens, resolving with them; otherwise loads the stored session and
   * resolves `undefined`. A callback for another client on the page is left alone.
   * @see https://www.rfc-editor.org/rfc/rfc9207.html
   */
  handleCallback(): Promise<Tokens | undefined>
  /**
   * Saves the login record (PKCE S256 verifier, state, nonce) and leaves for the provider;
   * `{ navigate: false }` resolves with the authorization URL instead.
   * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4
   */
  login(options?: { navigate?: boolean }): Promise<URL>
  /** The session's tokens from memory, no I/O; `undefined` when signed out. */
  tokens(): Tokens | undefined
  /**
   * The access token: from memory while valid beyond the margin, else after one refresh shared
   * by every caller and every tab. Rejects `not_signed_in` without a session.
   */
  getToken(): Promise<string>
  /**
   * `fetch` with `Authorization: Bearer`, only to origins the profile names (or that
   * `onUnknownOrigin` allows, else `token_destination`); after a 401 that refuses the token, one
   * refresh and one retry. Resolves with the `Response` whatever its status.
   * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3.1
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /**
   * Refreshes now (a rotated refresh token replaces the old one) and resolves with the new tokens.
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
   */
  refresh(): Promise<Tokens>
  /**
   * Forgets the tokens in every tab, then revokes them where the provider can (RFC 7009; a
   * failure there does not undo the logout); `{ endSession: true }` then leaves for the provider's
   * `end_session_endpoint` when it has one.
   * @see https://www.rfc-editor.org/rfc/rfc7009.html
   */
  logout(options?: { endSession?: boolean }): Promise<void>
  /** Listens to an event (`tokens`, `signed-out`, `refresh-*`, `request`); returns the unsubscribe. */
  on<K extends keyof AuthEvents>(name: K, listener: (payload: AuthEvents[K]) => void): () => void
  /** Stops the timers, the channel and every listener. */
  dispose(): void
}
