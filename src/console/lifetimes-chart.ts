import type { LifetimeKind, LifetimeLog, LifetimeRow } from './lifetimes'

/**
 * The token lifetime chart's geometry, in SVG user units equal to CSS pixels: the component sizes
 * the viewBox to its box, so text keeps its size on a phone instead of shrinking with the picture.
 */

/** Room for the lane labels ("Refresh 2") on the left and the last tick label on the right. */
export const GUTTER = { left: 70, right: 24, top: 8, axis: 26 }
export const LANE_HEIGHT = 24
export const BAR_HEIGHT = 12
/** Tick labels ("10:32:05") need this much room each. */
export const MIN_TICK_SPACING = 64
/** Older rows than this many stay in the table only. */
export const MAX_LANES = 12
/** The narrowest the chart is drawn; a narrower box scales it down. */
export const MIN_WIDTH = 240

/** A linear map from times to x: `domain` (ms) onto `range` (px). */
export function timeScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (at: number) => number {
  const [d0, d1] = domain
  const [r0, r1] = range
  const span = d1 - d0 || 1
  return (at) => r0 + ((at - d0) / span) * (r1 - r0)
}

/** The shortest span the axis shows, so one fresh token is not a full-width sliver of a second. */
const MIN_SPAN = 60_000

/**
 * The time axis: from the first token issued to the later of now and the last access-token
 * expiry, widened for an ID or refresh token expiring soon after; one expiring much later (a
 * refresh token valid for days next to 5-minute access tokens) would squash every bar, so it is
 * left beyond the edge (its bar is `clipped`). 3 % of padding on each side.
 */
export function chartDomain(rows: readonly LifetimeRow[], now: number): [number, number] {
  const start = Math.min(now, ...rows.map((row) => row.issuedAt))
  const accessEnd = Math.max(
    now,
    ...rows.flatMap((row) => (row.kind === 'access' && row.expiresAt ? [row.expiresAt] : [])),
  )
  const span = Math.max(accessEnd - start, MIN_SPAN)
  const limit = start + 3 * span
  const end = Math.max(
    start + span,
    ...rows.flatMap((row) =>
      row.expiresAt !== undefined && row.expiresAt <= limit ? [row.expiresAt] : [],
    ),
  )
  const pad = (end - start) * 0.03
  return [start - pad, end + pad]
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Tick steps a reader can count in. */
export const TICK_STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  90 * DAY,
  365 * DAY,
]

/**
 * Ticks at round local times (`offsetMs`: the local zone's offset from UTC, east positive),
 * with the smallest step that leaves `minSpacing` px between them.
 */
export function timeTicks(
  domain: readonly [number, number],
  plotWidth: number,
  offsetMs = 0,
  minSpacing = MIN_TICK_SPACING,
): { step: number; ticks: number[] } {
  const [d0, d1] = domain
  const most = Math.max(1, Math.floor(plotWidth / minSpacing))
  const step = TICK_STEPS.find((candidate) => (d1 - d0) / candidate <= most) ?? 365 * DAY
  const ticks: number[] = []
  const first = Math.ceil((d0 + offsetMs) / step) * step - offsetMs
  for (let at = first; at <= d1; at += step) ticks.push(at)
  return { step, ticks }
}

/** One row of the picture: a token's lifetime as a bar, or a dot when its expiry is unknown. */
export interface Lane {
  kind: LifetimeKind
  /** 1-based among the tokens of its kind in the log, as the table counts them. */
  n: number
  row: LifetimeRow
  /** The bar's vertical centre. */
  y: number
  x1: number
  /** The expiry, or `x1` when unknown. */
  x2: number
  /** Where a newer token of the same kind took over (the rest of the bar: valid, unused). */
  replacedX?: number
  /** The expiry lies beyond the right edge. */
  clipped: boolean
  unknown: boolean
}

/** A vertical line across the lanes. */
export interface Marker {
  at: number
  x: number
}

/** Everything the component draws. */
export interface ChartGeometry {
  width: number
  height: number
  plot: { left: number; right: number; top: number; bottom: number }
  lanes: Lane[]
  step: number
  ticks: Marker[]
  refreshes: Marker[]
  signOuts: Marker[]
  now: Marker
  /** Rows of the log left out of the picture (the oldest). */
  hidden: number
}

const ORDER: readonly LifetimeKind[] = ['access', 'id', 'refresh']

/** Each row with its number among its kind (1-based) and the next row of its kind. */
export function numberRows(
  rows: readonly LifetimeRow[],
): { row: LifetimeRow; n: number; next: LifetimeRow | undefined }[] {
  const counts: Record<LifetimeKind, number> = { access: 0, id: 0, refresh: 0 }
  const numbered = rows.map((row) => ({
    row,
    n: ++counts[row.kind],
    next: undefined as LifetimeRow | undefined,
  }))
  const later: Partial<Record<LifetimeKind, LifetimeRow>> = {}
  for (let i = numbered.length - 1; i >= 0; i--) {
    const entry = numbered[i]
    if (entry === undefined) continue
    entry.next = later[entry.row.kind]
    later[entry.row.kind] = entry.row
  }
  return numbered
}

/**
 * Lays the log out: one lane per token (access tokens first, then ID, then refresh tokens, each
 * oldest first), a refresh token drawn only when its expiry is known. Pure.
 */
export function layoutChart(
  log: LifetimeLog,
  now: number,
  width: number,
  offsetMs = 0,
): ChartGeometry {
  const numbered = numberRows(log.rows)
  const drawable = numbered.filter(
    ({ row }) => !(row.kind === 'refresh' && row.expiresAt === undefined),
  )
  const shown = drawable.slice(-MAX_LANES)
  const w = Math.max(width, MIN_WIDTH)
  const plot = {
    left: GUTTER.left,
    right: w - GUTTER.right,
    top: GUTTER.top,
    bottom: GUTTER.top + Math.max(shown.length, 1) * LANE_HEIGHT,
  }
  const domain = chartDomain(
    shown.map(({ row }) => row),
    now,
  )
  const x = timeScale(domain, [plot.left, plot.right])
  const clampX = (at: number) => Math.min(plot.right, Math.max(plot.left, x(at)))
  const sorted = ORDER.flatMap((kind) => shown.filter(({ row }) => row.kind === kind))
  const lanes = sorted.map(({ row, n, next }, index): Lane => {
    const x1 = clampX(row.issuedAt)
    const unknown = row.expiresAt === undefined
    const x2 = unknown ? x1 : Math.max(x1, clampX(row.expiresAt ?? row.issuedAt))
    const lane: Lane = {
      kind: row.kind,
      n,
      row,
      y: plot.top + index * LANE_HEIGHT + LANE_HEIGHT / 2,
      x1,
      x2,
      clipped: !unknown && x(row.expiresAt ?? 0) > plot.right,
      unknown,
    }
    if (next !== undefined && !unknown && next.issuedAt < (row.expiresAt ?? 0))
      lane.replacedX = Math.max(x1, clampX(next.issuedAt))
    return lane
  })
  const { step, ticks } = timeTicks(domain, plot.right - plot.left, offsetMs)
  const marker = (at: number): Marker => ({ at, x: clampX(at) })
  return {
    width: w,
    height: plot.bottom + GUTTER.axis,
    plot,
    lanes,
    step,
    ticks: ticks.map(marker),
    refreshes: shown
      .filter(({ row }) => row.kind === 'access' && row.via === 'refresh')
      .map(({ row }) => marker(row.issuedAt)),
    signOuts: log.signOuts.filter((at) => at >= domain[0]).map(marker),
    now: marker(now),
    hidden: drawable.length - shown.length,
  }
}
