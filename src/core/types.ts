import type { TimelineEntry } from './record'
import type { JwksCache } from './jwt/jwks'
import type { DiscoveryMemory } from './protocol/endpoints'
import type { RevocationOutcome } from './protocol/revoke'
import type { KeyValueStore } from './storage/kv'
import type { AuthError } from './auth-error'
import type { AuthEnvironment } from './environment'
import type { Tokens } from './tokens'

/**
 * One step of the protocol, secrets masked: what a timeline shows (its entry, less the id). The
 * `authorize redirect` and `callback` steps carry no request of the app's; `callback` notes the
 * parameter names that came back (`iss` among them when the provider sent it, RFC 9207).
 * Codes, verifiers, secrets and tokens are masked unless the client was made with
 * `unmaskedRequests`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9207.html#section-2
 */
export type RequestRecord = Omit<TimelineEntry, 'id'>

/**
 * The events of an {@link AuthClient}, by name, with their payloads: what
 * {@link AuthClient.on} listens to. Events from other tabs of the same profile arrive too.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
 */
export interface AuthEvents extends Record<string, unknown> {
  /** New tokens: after a login, a refresh (in any tab), or another tab's login. */
  tokens: Tokens
  /**
   * The session ended in this tab or another: `reason` is `undefined` for a logout, else why
   * (the provider refused the refresh token, `invalid_grant`; the profile names another server).
   */
  'signed-out': { reason: AuthError | undefined }
  /**
   * A refresh failed for a transient reason (network, timeout, 5xx, 408, 429); retry `attempt` in
   * `delayMs`.
   */
  'refresh-retrying': { error: AuthError; attempt: number; delayMs: number }
  /** A refresh succeeded after `refresh-retrying`. */
  'refresh-recovered': undefined
  /** The retries gave up; the tokens are kept and the next `getToken()` tries again. */
  'refresh-failed': { error: AuthError }
  /** Every HTTP step of the protocol, secrets masked (see {@link RequestRecord}). */
  request: RequestRecord
  /**
   * Something the user should know that did not stop the work: a discovery that failed and fell
   * back to the profile's endpoints, a device clock minutes off the provider's (`clock_skew`).
   */
  warning: { error: AuthError }
}

/**
 * What {@link AuthClient.logout} did. The local logout always happened; revocation is best effort.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2.2
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export interface LogoutResult {
  /** The tokens forgotten; `undefined` when there was no session. */
  tokens: Tokens | undefined
  /** What revocation sent and the provider answered, or why it could not be tried. */
  revocation?: RevocationOutcome | AuthError
  /** The provider's `end_session_endpoint`, when it has one (RP-initiated logout). */
  endSessionEndpoint?: string
}

/**
 * Options of {@link AuthClient.login}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.8
 */
export interface LoginOptions {
  /** `false`: resolve with the authorization URL instead of leaving for it. */
  navigate?: boolean
  /**
   * Log in although the provider's metadata does not list S256 in
   * `code_challenge_methods_supported` (RFC 8414 §2; the app warned the user once); PKCE is still
   * sent. Default: reject with `pkce_unsupported`.
   */
  evenWithoutAdvertisedPkce?: boolean
}

/**
 * Options of {@link createAuthClient}; all optional.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.9
 */
export interface AuthClientOptions {
  /** The fetch every request goes through (default: the page's `fetch`). */
  fetch?: typeof fetch
  /**
   * Where tokens live: get/set/del, and optionally an atomic update. Default IndexedDB
   * (idb-keyval), memory when it is unavailable.
   */
  storage?: Pick<KeyValueStore, 'get' | 'set' | 'del' | 'update'>
  /** Prefixes the database, lock and channel; default: from the page's path. */
  namespace?: string
  /**
   * Refresh this long before the access token expires (`expires_in`, RFC 6749 §5.1; default
   * 60 000; never more than a quarter of the token's lifetime).
   */
  refreshMarginMs?: number
  /** Abort a request to the provider after this long (default 15 000). */
  requestTimeoutMs?: number
  /**
   * Whether the bearer token may go to `url`, whose origin the profile does not name (RFC 9700
   * §4.9: a token sent to a counterfeit resource server can be replayed). Default: no.
   */
  onUnknownOrigin?: (url: string) => boolean | Promise<boolean>
  /** The whole environment, for tests and non-browser hosts (`browserEnvironment` otherwise). */
  environment?: AuthEnvironment
  /**
   * Discoveries (RFC 8414 §3, OpenID Connect Discovery) shared by several clients of one page:
   * one request per issuer, a failure asked once. Default: this client's own.
   */
  discoveries?: DiscoveryMemory
  /**
   * JWK Sets by URL, shared with the app's own signature checks (and other clients): an ID token
   * checked at the callback and the same token shown in an inspector fetch the keys once.
   * Default: this client's own.
   */
  jwksCache?: JwksCache
  /**
   * Whether `handleCallback` deletes stored tokens of this profile id that another server issued
   * (the profile was edited to name another server). Default `true`; `false` only leaves them
   * unused, for an app that has not just read its profiles.
   */
  forgetForeignTokens?: boolean
  /**
   * `true`: `request` events carry secrets as sent (codes, verifiers, tokens), for a debugger that
   * masks them on screen and reveals them on demand. Default: masked.
   */
  unmaskedRequests?: boolean
}

/**
 * The auth layer of one provider profile: the authorization code flow with PKCE from the browser,
 * its tokens and their refresh, an authorized `fetch`, logout. See `README.md`, "Use the core in
 * your app". Every method rejects with an {@link AuthError}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export interface AuthClient {
  /**
   * On every page load: completes this client's callback (code or error, and `state`), cleans the
   * address bar and stores the tokens, resolving with them; otherwise loads the stored session and
   * resolves `undefined`. A callback for another client on the page is left alone. A `state`
   * this tab did not send is `state_mismatch` (or `no_pending_login`); an `iss` that is not the
   * login's issuer is `iss_mismatch`; the ID token's signature, `nonce`, `aud` and `iss` are
   * checked before the tokens are stored.
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2
   * @see https://www.rfc-editor.org/rfc/rfc9207.html#section-2.4
   * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
   */
  handleCallback(): Promise<Tokens | undefined>
  /**
   * Saves the login record (PKCE S256 verifier, state, nonce) and leaves for the provider;
   * `{ navigate: false }` resolves with the authorization URL instead. Rejects
   * `pkce_unsupported` when the provider's metadata does not list S256 (see {@link LoginOptions}).
   * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
   */
  login(options?: LoginOptions): Promise<URL>
  /**
   * The session's tokens from memory, no I/O; `undefined` when signed out (or before
   * `handleCallback()` has loaded the stored session).
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.1
   */
  tokens(): Tokens | undefined
  /**
   * The access token: from memory while valid beyond the margin, else after one refresh shared
   * by every caller and every tab. Rejects `not_signed_in` without a session.
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
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
   * Whether {@link AuthClient.fetch} sends the bearer token to `url` without asking
   * `onUnknownOrigin`: the profile or its server's metadata names the URL's origin. The same
   * check `fetch` makes, for an app that asks its user before another destination. Asynchronous
   * because the metadata may need discovering; it never calls `onUnknownOrigin`.
   * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.9
   */
  sendsTokenTo(url: string | URL): Promise<boolean>
  /**
   * Refreshes now (a rotated refresh token replaces the old one) and resolves with the new tokens.
   * A 4xx answer (`invalid_grant`: access revoked) signs out in every tab.
   * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
   * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.14.2
   */
  refresh(): Promise<Tokens>
  /**
   * Forgets the tokens in every tab, then revokes them where the provider can (RFC 7009; a
   * failure there does not undo the logout); `{ endSession: true }` then leaves for the provider's
   * `end_session_endpoint` when it has one.
   * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
   */
  logout(options?: { endSession?: boolean }): Promise<LogoutResult>
  /**
   * Listens to an event (`tokens`, `signed-out`, `refresh-*`, `request`, `warning`); returns the
   * unsubscribe function.
   */
  on<K extends keyof AuthEvents>(name: K, listener: (payload: AuthEvents[K]) => void): () => void
  /** Stops the timers, the channel and every listener. */
  dispose(): void
}
