import * as oauth from 'oauth4webapi'
import type { KeyValueStore } from '../storage/kv'
import { TRANSIENT_TTL_MS } from './transient'

/**
 * The key a DPoP-bound session proves possession of (RFC 9449): an ES256 pair whose private half
 * cannot be exported, and the RFC 7638 thumbprint of its public half (what `cnf.jkt` names).
 */
export interface DpopKey {
  keyPair: CryptoKeyPair
  jkt: string
}

/**
 * Generates the key of one login. The private key is non-extractable, so not even this page can
 * read it out; WebCrypto makes every public key extractable, which the proof's `jwk` header needs.
 * It is kept as a `CryptoKey` (structured clone) in IndexedDB, never serialized.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-2
 */
export async function generateDpopKey(): Promise<DpopKey> {
  const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])
  const jkt = await oauth.DPoP({}, keyPair).calculateThumbprint()
  return { keyPair, jkt }
}

/** A login's or session's key with its oauth4webapi handle, as a protocol step takes it. */
export interface DpopSession {
  key: DpopKey
  handle: oauth.DPoPHandle
}

/** Handles of the keys in use (a tab holds one per DPoP profile), newest last. */
const handles = new Map<string, oauth.DPoPHandle>()
const MAX_HANDLES = 8

/**
 * The oauth4webapi DPoP handle of a key, one per key: the handle remembers the last `DPoP-Nonce`
 * of each origin (the token endpoint and every resource server), so a nonce learnt at one request
 * is sent with the next and a challenge is met once, not on every request. At most a few handles
 * are kept, the oldest made dropping out first; a key whose handle was dropped gets a new one,
 * which costs only one more nonce challenge.
 */
export function dpopHandle(key: DpopKey): oauth.DPoPHandle {
  let handle = handles.get(key.jkt)
  if (handle === undefined) {
    handle = oauth.DPoP({}, key.keyPair)
    handles.set(key.jkt, handle)
    const oldest = handles.keys().next().value
    if (handles.size > MAX_HANDLES && oldest !== undefined) handles.delete(oldest)
  }
  return handle
}

/** The session a stored key stands for. */
export const dpopSession = (key: DpopKey): DpopSession => ({ key, handle: dpopHandle(key) })

/**
 * Runs a request once more when the server answered `use_dpop_nonce` (its `DPoP-Nonce` is then
 * cached by the handle and goes into the new proof): one retry per challenge, never a loop.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-8
 */
export async function retryOnNonce<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt()
  } catch (cause) {
    if (!oauth.isDPoPNonceError(cause)) throw cause
    return attempt()
  }
}

/**
 * One record per login (by `state`): logins started at once in two tabs never overwrite each
 * other.
 */
const pendingKey = (profileId: string, state: string) => `dpop-login:${profileId}:${state}`
/** When each login of a profile with a key waiting began: what the sweep reads. */
const indexKey = (profileId: string) => `dpop-login:${profileId}`

/**
 * An index entry: the time a login began, or (the layout before one record per login) the
 * login's key itself with its time, still taken by its callback and swept like the others.
 */
type IndexEntry = number | { key: DpopKey; created_at: number }
type PendingIndex = Record<string, IndexEntry>

const startedAt = (entry: IndexEntry | undefined) =>
  typeof entry === 'number' ? entry : entry?.created_at

/** Changes the index in one step: atomically where the store can (IndexedDB), else read-write. */
async function updateIndex(
  store: KeyValueStore,
  profileId: string,
  change: (index: PendingIndex) => PendingIndex,
): Promise<void> {
  const apply = (value: unknown) => {
    const next = change(typeof value === 'object' && value !== null ? (value as PendingIndex) : {})
    return Object.keys(next).length === 0 ? undefined : next
  }
  if (store.update !== undefined) {
    await store.update(indexKey(profileId), apply)
    return
  }
  const next = apply(await store.get(indexKey(profileId)))
  if (next === undefined) await store.del(indexKey(profileId))
  else await store.set(indexKey(profileId), next)
}

/**
 * Keeps the key of a login that is leaving for the provider until its callback, by `state` (the
 * login record in sessionStorage cannot hold a `CryptoKey`). Keys of logins older than the login
 * record's lifetime are deleted on the way. The key's own record is written first and alone; the
 * index that finds old ones changes in one transaction, so no tab's login loses its key or
 * escapes the sweep.
 */
export async function savePendingKey(
  store: KeyValueStore,
  profileId: string,
  state: string,
  key: DpopKey,
  now: number,
): Promise<void> {
  await store.set(pendingKey(profileId, state), key)
  const expired: string[] = []
  await updateIndex(store, profileId, (index) => {
    const kept: PendingIndex = { [state]: now }
    for (const [name, entry] of Object.entries(index)) {
      const at = startedAt(entry)
      if (name === state) continue
      if (typeof at === 'number' && now - at < TRANSIENT_TTL_MS) kept[name] = entry
      else expired.push(name)
    }
    return kept
  })
  await Promise.all(expired.map((name) => store.del(pendingKey(profileId, name))))
}

/** Takes the key saved for the login with `state` out of storage (it is deleted either way). */
export async function takePendingKey(
  store: KeyValueStore,
  profileId: string,
  state: string,
): Promise<DpopKey | undefined> {
  const saved = (await store.get(pendingKey(profileId, state))) as DpopKey | undefined
  await store.del(pendingKey(profileId, state))
  let entry: IndexEntry | undefined
  await updateIndex(store, profileId, (index) => {
    entry = index[state]
    return Object.fromEntries(Object.entries(index).filter(([name]) => name !== state))
  })
  return saved ?? (typeof entry === 'object' ? entry.key : undefined)
}
