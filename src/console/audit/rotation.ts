import type { SessionState } from '../state'

/** The refreshes this tab saw for one profile: with a new refresh token, or with the same one. */
export interface RotationTally {
  rotated: number
  kept: number
}

/**
 * What the watch remembers from one session state to the next. Never a token: only a
 * fingerprint of the refresh token held, to tell whether the next one differs.
 */
export interface RotationMemory {
  profileId: string | undefined
  /** `received_at` of the tokens last seen: a new value means new tokens. */
  tokensAt: number | undefined
  fingerprint: string | undefined
  /** The id of the last timeline `refresh` entry that got a 2xx answer. */
  lastRefreshId: number
  /** A refresh was answered and its tokens have not arrived yet. */
  awaiting: boolean
  tallies: Readonly<Record<string, RotationTally>>
}

/** The memory before any state was seen. */
export const NO_ROTATION_SEEN: RotationMemory = {
  profileId: undefined,
  tokensAt: undefined,
  fingerprint: undefined,
  lastRefreshId: 0,
  awaiting: false,
  tallies: {},
}

/**
 * A 53-bit fingerprint of a string (cyrb53), to compare two refresh tokens without keeping
 * either. Not a cryptographic hash: it is kept in memory only and never shown.
 */
export function fingerprint(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

/** The id of the latest `refresh` step that got a 2xx answer, or `after` when none is newer. */
function latestAnsweredRefresh(state: SessionState, after: number): number {
  let latest = after
  for (const entry of state.timeline) {
    if (entry.step === 'refresh' && /^2\d\d\b/.test(entry.status ?? '') && entry.id > latest)
      latest = entry.id
  }
  return latest
}

/**
 * The memory after one more session state. A refresh counts once its answer is in the timeline
 * and the tokens that came of it reach the state: `rotated` when their refresh token differs from
 * the one held before, `kept` when it is the same (an answer without one keeps the old, RFC 6749
 * §6). Tokens that arrive otherwise (another tab's refresh, a login) are only remembered. Pure.
 */
export function observeRotation(memory: RotationMemory, state: SessionState): RotationMemory {
  const lastRefreshId = latestAnsweredRefresh(state, memory.lastRefreshId)
  const awaiting = memory.awaiting || lastRefreshId > memory.lastRefreshId
  const tokens = state.tokens
  const id = state.selectedId
  const sameProfile = id === memory.profileId
  if (sameProfile && tokens?.received_at === memory.tokensAt)
    return { ...memory, lastRefreshId, awaiting }
  const seen: RotationMemory = {
    ...memory,
    profileId: id,
    tokensAt: tokens?.received_at,
    fingerprint:
      tokens?.refresh_token === undefined ? undefined : fingerprint(tokens.refresh_token),
    lastRefreshId,
    awaiting: false,
  }
  if (!sameProfile || !awaiting || id === undefined || memory.fingerprint === undefined) return seen
  if (tokens === undefined) return seen
  const before = memory.tallies[id] ?? { rotated: 0, kept: 0 }
  const tally =
    seen.fingerprint !== memory.fingerprint
      ? { ...before, rotated: before.rotated + 1 }
      : { ...before, kept: before.kept + 1 }
  return { ...seen, tallies: { ...memory.tallies, [id]: tally } }
}
