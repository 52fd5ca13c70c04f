import { CLAIM_DESCRIPTIONS, TIME_CLAIMS, ZERO_MEANS_NONE } from './claim-descriptions'

export { CLAIM_DESCRIPTIONS } from './claim-descriptions'
export { countdown, relativeTime, timeForms, type TimeForms } from './time-text'

/** One row of a claims table: a dotted claim name and its value, with a time when it is one. */
export interface ClaimRow {
  name: string
  value: unknown
  /** Seconds since the epoch, for claims that are times (and within the range a Date holds). */
  time?: number
  /** A word about the value itself, such as "none" for a Nexus Mods `premium_expiry` of 0. */
  note?: string
  /** One line saying what the claim means, when it is a known claim. */
  description?: string
  /** The value as a link target: only ever an `https:` URL (never `javascript:` or `data:`). */
  link?: string
}

const MAX_DEPTH = 6
/** The largest time a JavaScript Date holds (ECMA-262 §21.4.1.1), in seconds. */
const MAX_DATE_SECONDS = 8.64e12

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value as a link target when it is an absolute `https:` URL; anything else stays text. */
export function httpsLink(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('https://')) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

/**
 * Flattens a claims object into rows, nested objects as dotted paths (`user.username`); arrays and
 * anything nested deeper than a few levels stay whole values.
 */
export function claimRows(claims: Record<string, unknown>): ClaimRow[] {
  const rows: ClaimRow[] = []
  const walk = (object: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [key, value] of Object.entries(object)) {
      const name = prefix + key
      if (isPlainObject(value) && Object.keys(value).length > 0 && depth < MAX_DEPTH) {
        walk(value, `${name}.`, depth + 1)
        continue
      }
      const row: ClaimRow = { name, value }
      if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
        if (value === 0 && ZERO_MEANS_NONE.has(name)) row.note = 'none'
        else if (value > 0 && value <= MAX_DATE_SECONDS) row.time = value
      }
      const description = CLAIM_DESCRIPTIONS.get(name)
      if (description !== undefined) row.description = description
      const link = httpsLink(value)
      if (link !== undefined) row.link = link
      rows.push(row)
    }
  }
  walk(claims, '', 0)
  return rows
}

/** Renders any claim value as display text (strings as they are, the rest as JSON). */
export function claimText(value: unknown): string {
  if (typeof value === 'string') return value
  // JSON reads 1e400 as Infinity, which JSON.stringify would print as "null".
  if (typeof value === 'number') return String(value)
  return JSON.stringify(value)
}
