import { decodeJwt, MAX_DATE_MS, type StoredTokens } from '../core/tools'
import type { SessionState } from './state'

/** The three tokens a session can hold. */
export type LifetimeKind = 'access' | 'id' | 'refresh'

/** One token issued in this tab's session: only its kind and times, never its value. */
export interface LifetimeRow {
  kind: LifetimeKind
  /** When the app received it (`received_at` of the answer that brought it). */
  issuedAt: number
  /**
   * When it expires, where known: the access token's `expires_at`, the ID token's `exp`
   * (decoded, not verified), the refresh token's `refresh_expires_at`.
   */
  expiresAt: number | undefined
  /** The first tokens after a sign-in, or tokens from a refresh (this tab's or another's). */
  via: 'sign-in' | 'refresh'
}

/** What the chart and its table show for one profile. */
export interface LifetimeLog {
  /** Oldest first. */
  rows: readonly LifetimeRow[]
  /** When the tokens went away (Log out, a revoked refresh, another tab's logout). */
  signOuts: readonly number[]
}

interface Track {
  log: LifetimeLog
  /** A short digest of the last token of each kind seen: tells a new token from the same one. */
  seen: Partial<Record<LifetimeKind, string>>
  holding: boolean
}

/** Every profile's log in this tab, and which profile the state currently shows. */
export interface LifetimeBook {
  selected: string | undefined
  /**
   * The digest of the access token shown when the selection changed: the session switches
   * `selectedId` first and the tokens a moment later, so until they change they are the old
   * profile's and must not be logged under the new one.
   */
  stale: string | undefined
  tracks: ReadonlyMap<string, Track>
}

const EMPTY_LOG: LifetimeLog = { rows: [], signOuts: [] }

/** The book before any state was seen. */
export function emptyBook(): LifetimeBook {
  return { selected: undefined, stale: undefined, tracks: new Map() }
}

/**
 * A 32-bit FNV-1a digest as hex: enough to tell one token from the next, far too short to stand
 * for the token (so the book holds nothing that could be sent as a credential).
 */
export function tokenDigest(token: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Math.abs(value) <= MAX_DATE_MS

/** The ID token's `exp` in ms, when it decodes and holds a printable date. Not verified. */
function idTokenExpiry(idToken: string): number | undefined {
  const decoded = decodeJwt(idToken)
  const exp = decoded.ok ? decoded.payload.exp : undefined
  return typeof exp === 'number' && isTime(exp * 1000) ? exp * 1000 : undefined
}

function tokenOf(tokens: StoredTokens, kind: LifetimeKind): string | undefined {
  if (kind === 'access') return tokens.access_token
  return kind === 'id' ? tokens.id_token : tokens.refresh_token
}

function expiryOf(tokens: StoredTokens, kind: LifetimeKind, token: string): number | undefined {
  if (kind === 'access') return isTime(tokens.expires_at) ? tokens.expires_at : undefined
  if (kind === 'id') return idTokenExpiry(token)
  return isTime(tokens.refresh_expires_at) ? tokens.refresh_expires_at : undefined
}

const KINDS: readonly LifetimeKind[] = ['access', 'id', 'refresh']

/**
 * Adds to a profile's track the tokens in `tokens` that it has not seen yet, or notes a sign-out
 * when they are gone. Pure.
 */
function follow(track: Track, tokens: StoredTokens | undefined, now: number): Track {
  if (tokens === undefined) {
    if (!track.holding) return track
    return {
      ...track,
      holding: false,
      log: { ...track.log, signOuts: [...track.log.signOuts, now] },
    }
  }
  // New tokens while some were held come from a refresh; the first ones, from a sign-in (or
  // from storage, signed in before this page load).
  const via = track.holding ? 'refresh' : 'sign-in'
  const seen = { ...track.seen }
  const added: LifetimeRow[] = []
  for (const kind of KINDS) {
    const token = tokenOf(tokens, kind)
    if (token === undefined) continue
    const digest = tokenDigest(token)
    if (seen[kind] === digest) continue
    seen[kind] = digest
    added.push({
      kind,
      issuedAt: tokens.received_at,
      expiresAt: expiryOf(tokens, kind, token),
      via,
    })
  }
  if (added.length === 0 && track.holding) return track
  return {
    seen,
    holding: true,
    log: { ...track.log, rows: [...track.log.rows, ...added] },
  }
}

/**
 * The book after one session state: new tokens of the selected profile become rows, their
 * disappearance a sign-out. Pure; `now` is the time of the state change.
 */
export function recordState(
  book: LifetimeBook,
  state: Pick<SessionState, 'selectedId' | 'tokens'>,
  now: number,
): LifetimeBook {
  const access = state.tokens ? tokenDigest(state.tokens.access_token) : undefined
  if (state.selectedId !== book.selected)
    return { ...book, selected: state.selectedId, stale: access }
  if (book.stale !== undefined && access === book.stale) return book
  const id = state.selectedId
  if (id === undefined) return book.stale === undefined ? book : { ...book, stale: undefined }
  const track = book.tracks.get(id) ?? { log: EMPTY_LOG, seen: {}, holding: false }
  const next = follow(track, state.tokens, now)
  if (next === track && book.stale === undefined) return book
  const tracks = new Map(book.tracks)
  tracks.set(id, next)
  return { ...book, stale: undefined, tracks }
}

/** The log of the profile the state shows (empty when none). */
export function selectedLog(book: LifetimeBook): LifetimeLog {
  if (book.selected === undefined) return EMPTY_LOG
  return book.tracks.get(book.selected)?.log ?? EMPTY_LOG
}

/** Where the recorder reads the session from: the session itself, or a test's fake. */
export interface StateSource {
  getState(): Pick<SessionState, 'selectedId' | 'tokens'>
  subscribe(listener: (state: SessionState) => void): () => void
}

/** The running recorder: the selected profile's log, and news of each change to it. */
export interface LifetimeRecorder {
  log(): LifetimeLog
  /** Calls `listener` when the log shown changes; returns the unsubscribe function. */
  subscribe(listener: (log: LifetimeLog) => void): () => void
  dispose(): void
}

/**
 * Follows the session from now on: every access, ID and refresh token it shows becomes a row
 * (kind and times only). Start it before the session starts, so the first tokens are seen; or,
 * with `fromShownTokens`, when the first tokens appear: those it shows then become rows too
 * (otherwise they would be taken for a previous profile's, still shown while the new ones load).
 */
export function createLifetimeRecorder(
  source: StateSource,
  now: () => number,
  options: { fromShownTokens?: boolean } = {},
): LifetimeRecorder {
  const shown = source.getState()
  const start = options.fromShownTokens
    ? recordState(emptyBook(), { selectedId: shown.selectedId, tokens: undefined }, now())
    : emptyBook()
  let book = recordState(start, shown, now())
  const listeners = new Set<(log: LifetimeLog) => void>()
  const unsubscribe = source.subscribe((state) => {
    const before = selectedLog(book)
    book = recordState(book, state, now())
    const after = selectedLog(book)
    if (after !== before) for (const listener of listeners) listener(after)
  })
  return {
    log: () => selectedLog(book),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose() {
      unsubscribe()
      listeners.clear()
    },
  }
}
