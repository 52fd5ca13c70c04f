import { CLAIM_DESCRIPTIONS, TIME_CLAIMS, ZERO_MEANS_NONE } from './claim-descriptions'

export { CLAIM_DESCRIPTIONS } from './claim-descriptions'

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

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]

/** "in 5 hours", "3 days ago": the largest whole unit of the distance from `now` (both in ms). */
export function relativeTime(at: number, now: number, locale?: string): string {
  const seconds = Math.round((at - now) / 1000)
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second')
      return format.format(Math.trunc(seconds / size), unit)
  }
  return format.format(0, 'second')
}

/** A claim time in the three forms the inspector shows. */
export interface TimeForms {
  /** Local date and time, in the browser's locale and time zone. */
  local: string
  /** ISO 8601 in UTC, also the `datetime` attribute of a `<time>`. */
  iso: string
  /** Distance from now, such as "in 5 hours". */
  relative: string
}

/** Formats `seconds` since the epoch for display, relative to `now` (ms). */
export function timeForms(seconds: number, now: number, locale?: string): TimeForms {
  const date = new Date(seconds * 1000)
  return {
    local: date.toLocaleString(locale),
    iso: date.toISOString(),
    relative: relativeTime(seconds * 1000, now, locale),
  }
}

/** Renders any claim value as display text (strings as they are, the rest as JSON). */
export function claimText(value: unknown): string {
  if (typeof value === 'string') return value
  // JSON reads 1e400 as Infinity, which JSON.stringify would print as "null".
  if (typeof value === 'number') return String(value)
  return JSON.stringify(value)
}

/**
 * A countdown for a duration in ms: "in 4 min 05 s", "in 1 h 02 min"; beyond a day, relative words.
 */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  if (total >= 86_400) return relativeTime(ms, 0)
  const pad = (n: number) => String(n).padStart(2, '0')
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  if (hours > 0) return `in ${String(hours)} h ${pad(minutes)} min`
  if (minutes > 0) return `in ${String(minutes)} min ${pad(seconds)} s`
  return `in ${String(seconds)} s`
}
