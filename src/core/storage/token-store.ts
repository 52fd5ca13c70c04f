import { boundedExpiry, MAX_DATE_MS } from '../jwt/bounded-expiry'
import type { DpopKey } from '../protocol/dpop'
import type { KeyValueStore } from './kv'

/**
 * Tokens held for one profile. Times are absolute milliseconds since the epoch, computed at
 * receipt; `expires_in` is never persisted because it means nothing once time has passed.
 */
export interface StoredTokens {
  access_token: string
  token_type: string
  refresh_token?: string
  id_token?: string
  scope?: string
  /** When the access token expires, or undefined when the provider did not say. */
  expires_at?: number
  /** The provider's lifetime was over a year and `expires_at` was capped to one (shown as such). */
  expiry_capped?: true
  /**
   * When the refresh token expires, only when the provider said so (Keycloak's non-standard
   * `refresh_expires_in`); RFC 6749 gives a client no way to know otherwise.
   */
  refresh_expires_at?: number
  /** When the app received these tokens. */
  received_at: number
  /**
   * The fingerprint of the server that issued them (`serverFingerprint` of the profile in effect
   * at receipt). Tokens are used only under a profile with the same fingerprint.
   */
  server?: string
  /**
   * The DPoP key the tokens are bound to (RFC 9449), as a structured clone of its `CryptoKey`s:
   * stored, replaced and deleted with the tokens, so it lives exactly as long as the session.
   */
  dpop?: DpopKey
}

const key = (profileId: string) => `tokens:${profileId}`

const isDate = (value: unknown): value is number =>
  typeof value === 'number' && Math.abs(value) <= MAX_DATE_MS

function isStoredTokens(value: unknown): value is StoredTokens {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StoredTokens).access_token === 'string' &&
    isDate((value as StoredTokens).received_at)
  )
}

/**
 * Reads whatever tokens are held under a profile id, whichever server issued them; anything
 * malformed in storage reads as "no tokens" (a malformed `refresh_expires_at`, as unknown). Use
 * {@link readTokens} for tokens to send. An `expires_at` stored by an older version without bounds
 * (one no Date holds would make the page throw on every start) is bounded as at receipt.
 */
export async function readHeldTokens(
  store: KeyValueStore,
  profileId: string,
): Promise<StoredTokens | undefined> {
  const value = await store.get(key(profileId))
  if (!isStoredTokens(value)) return undefined
  const { expires_at, expiry_capped, refresh_expires_at, ...rest } = value
  const expiry = boundedExpiry(expires_at, value.received_at)
  return {
    ...rest,
    ...expiry,
    ...(expiry_capped === true ? { expiry_capped } : {}),
    ...(isDate(refresh_expires_at) ? { refresh_expires_at } : {}),
  }
}

/**
 * Reads the tokens of a profile that were issued by the server with fingerprint `server`: tokens
 * of another server (the profile was re-pointed, here or in another tab) read as "no tokens", so
 * they are never sent to a server that did not issue them.
 */
export async function readTokens(
  store: KeyValueStore,
  profileId: string,
  server: string,
): Promise<StoredTokens | undefined> {
  const tokens = await readHeldTokens(store, profileId)
  return tokens?.server === server ? tokens : undefined
}

/** Writes the tokens of a profile in one put, so a rotation replaces the old set atomically. */
export function writeTokens(
  store: KeyValueStore,
  profileId: string,
  tokens: StoredTokens,
): Promise<void> {
  return store.set(key(profileId), tokens)
}

/** Deletes the tokens of a profile, leaving every other profile's tokens alone. */
export function deleteTokens(store: KeyValueStore, profileId: string): Promise<void> {
  return store.del(key(profileId))
}
