/**
 * The only thing that waits in sessionStorage across the redirect: what the callback needs to
 * finish one login attempt. Keyed by `state`, so logins started in two tabs never collide.
 */
export interface TransientRecord {
  verifier: string
  state: string
  nonce?: string
  profile_id: string
  created_at: number
  /**
   * The issuer the login was started for, when the profile can vouch for one (see
   * `confirmedIssuer`): a callback's `iss` must equal it (RFC 9207 §2.4), and a callback carrying
   * `iss` for a login without one is refused, since it answers for a server this login never named.
   */
  issuer?: string
  /** Whether that issuer promised `iss` on every callback (`authorization_response_iss_parameter_supported`). */
  iss_required?: boolean
  /** Where the code goes: the token endpoint the login was started for, never what a profile says later. */
  token_endpoint?: string
  /** The server fingerprint of the profile at login (`serverFingerprint`). */
  server?: string
  /**
   * When the parameters were pushed (RFC 9126) and where: the page that sent them is gone by the
   * callback, so the timeline of the page that returns lists the push from here.
   */
  pushed?: { at: number; url: string }
}

/** A record older than this is refused: the user must start again (RFC 9700 §4.2.4 spirit). */
export const TRANSIENT_TTL_MS = 10 * 60 * 1000

const PREFIX = 'pkce-console:login:'

/** The subset of the Storage API used here; sessionStorage in the app. */
export type TransientStorage = Pick<
  Storage,
  'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'
>

/** Saves the record of a login about to redirect. */
export function saveTransient(storage: TransientStorage, record: TransientRecord): void {
  storage.setItem(PREFIX + record.state, JSON.stringify(record))
}

/** The keys of `storage` that start with `prefix` (login and logout records have their own). */
export function keysWithPrefix(storage: TransientStorage, prefix: string): string[] {
  const found: string[] = []
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i)
    if (key?.startsWith(prefix)) found.push(key)
  }
  return found
}

/** True when any login is pending in this tab (used to tell a tampered state from none). */
export function hasPendingLogins(storage: TransientStorage): boolean {
  return keysWithPrefix(storage, PREFIX).length > 0
}

/** True when a login started in this tab waits for `state` (the record is left in place). */
export function isPendingLogin(storage: TransientStorage, state: string): boolean {
  return storage.getItem(PREFIX + state) !== null
}

/**
 * Whether the login waiting for `state` in this tab sent a nonce, so that its callback brings an
 * ID token whose signature is checked (the record is left in place).
 */
export function expectsIdToken(storage: TransientStorage, state: string): boolean {
  return peekTransient(storage, state)?.nonce !== undefined
}

/** The profile id of the login waiting for `state` in this tab (the record is left in place). */
export function pendingLoginProfile(storage: TransientStorage, state: string): string | undefined {
  return peekTransient(storage, state)?.profile_id
}

/** The record for `state`, read and left in place; a damaged one reads as none. */
function peekTransient(storage: TransientStorage, state: string): TransientRecord | undefined {
  try {
    const record = JSON.parse(storage.getItem(PREFIX + state) ?? 'null') as TransientRecord | null
    return record ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Takes the record for `state` out of storage: it is deleted whatever happens next, so a code
 * can never be exchanged twice from this tab.
 */
export function takeTransient(
  storage: TransientStorage,
  state: string,
): TransientRecord | undefined {
  const raw = storage.getItem(PREFIX + state)
  storage.removeItem(PREFIX + state)
  if (raw === null) return undefined
  try {
    const record = JSON.parse(raw) as TransientRecord
    return record.state === state ? record : undefined
  } catch {
    return undefined
  }
}

/** Deletes records older than {@link TRANSIENT_TTL_MS}. */
export function sweepTransients(storage: TransientStorage, now: number): void {
  for (const key of keysWithPrefix(storage, PREFIX)) {
    try {
      const record = JSON.parse(storage.getItem(key) ?? '') as TransientRecord
      if (!(now - record.created_at < TRANSIENT_TTL_MS)) storage.removeItem(key)
    } catch {
      storage.removeItem(key)
    }
  }
}
