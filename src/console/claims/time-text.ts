// Times in words, for the session's countdown and the claims table; no claim descriptions, so the
// start page's session panel can use them without the inspector's tables.

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
