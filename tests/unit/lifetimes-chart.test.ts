import { describe, expect, it } from 'vitest'
import type { LifetimeLog, LifetimeRow } from '../../src/console/lifetimes'
import {
  chartDomain,
  GUTTER,
  LANE_HEIGHT,
  layoutChart,
  MAX_LANES,
  MIN_TICK_SPACING,
  MIN_WIDTH,
  timeScale,
  timeTicks,
} from '../../src/console/lifetimes-chart'
import {
  describeLifetimes,
  lifetimeTable,
  roughly,
  tickLabel,
} from '../../src/console/lifetimes-text'

const MIN = 60_000
const T0 = Date.UTC(2025, 2, 14, 10, 0, 0)

const access = (issuedAt: number, via: LifetimeRow['via'] = 'refresh'): LifetimeRow => ({
  kind: 'access',
  issuedAt,
  expiresAt: issuedAt + 5 * MIN,
  via,
})

/** oidc-provider's session: sign-in at T0, refreshes at +1 and +2 min, refresh expiry unknown. */
const session: LifetimeLog = {
  rows: [
    access(T0, 'sign-in'),
    { kind: 'id', issuedAt: T0, expiresAt: T0 + 60 * MIN, via: 'sign-in' },
    { kind: 'refresh', issuedAt: T0, expiresAt: undefined, via: 'sign-in' },
    access(T0 + MIN),
    { kind: 'refresh', issuedAt: T0 + MIN, expiresAt: undefined, via: 'refresh' },
    access(T0 + 2 * MIN),
  ],
  signOuts: [],
}

describe('timeScale', () => {
  it('maps the domain linearly onto the range', () => {
    const x = timeScale([1000, 2000], [100, 300])
    expect([x(1000), x(1500), x(2000), x(2500)]).toEqual([100, 200, 300, 400])
  })
  it('does not divide by zero for an empty domain', () => {
    expect(timeScale([5, 5], [0, 10])(5)).toBe(0)
  })
})

describe('chartDomain', () => {
  it('runs from the first issue to the last access-token expiry, with 3 % padding', () => {
    const [start, end] = chartDomain(
      session.rows.filter((r) => r.kind === 'access'),
      T0 + 3 * MIN,
    )
    const span = 7 * MIN
    expect(start).toBeCloseTo(T0 - span * 0.03)
    expect(end).toBeCloseTo(T0 + 7 * MIN + span * 0.03)
  })
  it('reaches now when every token has expired', () => {
    const [, end] = chartDomain([access(T0)], T0 + 30 * MIN)
    expect(end).toBeGreaterThan(T0 + 30 * MIN)
  })
  it('widens for an ID token expiring soon after, not for one expiring much later', () => {
    const near = { kind: 'id', issuedAt: T0, expiresAt: T0 + 10 * MIN, via: 'sign-in' } as const
    const far = { ...near, kind: 'refresh', expiresAt: T0 + 14 * 24 * 60 * MIN } as const
    expect(chartDomain([access(T0), near], T0)[1]).toBeGreaterThan(T0 + 10 * MIN)
    expect(chartDomain([access(T0), far], T0)[1]).toBeLessThan(T0 + 6 * MIN)
  })
  it('shows at least a minute, so a fresh token is not a full-width sliver', () => {
    const [start, end] = chartDomain([{ ...access(T0), expiresAt: T0 + 1000 }], T0)
    expect(end - start).toBeGreaterThanOrEqual(MIN)
  })
})

describe('timeTicks', () => {
  it('picks the smallest round step that keeps labels apart, at round local times', () => {
    const domain = [T0 + 10_000, T0 + 7 * MIN] as const
    const { step, ticks } = timeTicks(domain, 5 * MIN_TICK_SPACING)
    expect(step).toBe(2 * MIN)
    expect(ticks).toEqual([T0 + 2 * MIN, T0 + 4 * MIN, T0 + 6 * MIN])
    // A narrow phone gets fewer ticks.
    expect(timeTicks(domain, 2 * MIN_TICK_SPACING).step).toBe(5 * MIN)
  })
  it('aligns hour ticks to the local zone (UTC+5:30 here)', () => {
    const offset = 5.5 * 60 * MIN
    const { step, ticks } = timeTicks([T0, T0 + 5 * 60 * MIN], 3 * MIN_TICK_SPACING, offset)
    expect(step).toBe(2 * 60 * MIN)
    for (const at of ticks) expect((at + offset) % step).toBe(0)
  })
  it('keeps every tick inside the domain', () => {
    const domain = [T0 - 12_345, T0 + 98_765] as const
    const { ticks } = timeTicks(domain, 400)
    expect(ticks.length).toBeGreaterThan(1)
    for (const at of ticks) expect(at >= domain[0] && at <= domain[1]).toBe(true)
  })
})

describe('layoutChart', () => {
  const now = T0 + 3 * MIN
  const chart = layoutChart(session, now, 640)

  it('draws one lane per access and ID token; refresh tokens of unknown expiry not at all', () => {
    expect(chart.lanes.map((lane) => `${lane.kind} ${lane.n}`)).toEqual([
      'access 1',
      'access 2',
      'access 3',
      'id 1',
    ])
    expect(chart.lanes.map((lane) => lane.y)).toEqual(
      [0, 1, 2, 3].map((i) => GUTTER.top + i * LANE_HEIGHT + LANE_HEIGHT / 2),
    )
    expect(chart.height).toBe(GUTTER.top + 4 * LANE_HEIGHT + GUTTER.axis)
  })

  it('puts bars where the scale says: issue to expiry, with the part after replacement marked', () => {
    const [start, end] = chartDomain(
      chart.lanes.map((lane) => lane.row),
      now,
    )
    const x = timeScale([start, end], [GUTTER.left, 640 - GUTTER.right])
    const [first, second, third] = chart.lanes
    expect(first).toMatchObject({ x1: x(T0), x2: x(T0 + 5 * MIN), replacedX: x(T0 + MIN) })
    expect(second).toMatchObject({ x1: x(T0 + MIN), replacedX: x(T0 + 2 * MIN) })
    expect(third?.replacedX).toBeUndefined()
    expect(chart.refreshes.map((m) => m.x)).toEqual([x(T0 + MIN), x(T0 + 2 * MIN)])
    expect(chart.now.x).toBeCloseTo(x(now))
    // The ID token's hour is far beyond 5-minute access tokens: its bar runs off the edge.
    expect(chart.lanes[3]).toMatchObject({ clipped: true, x2: 640 - GUTTER.right })
    expect(first?.clipped).toBe(false)
  })

  it('moves "now" to the right as time passes', () => {
    const later = layoutChart(session, now + 30_000, 640)
    expect(later.now.x).toBeGreaterThan(chart.now.x)
  })

  it('draws a refresh token whose expiry the provider gave', () => {
    const log = {
      rows: [
        access(T0, 'sign-in'),
        { kind: 'refresh', issuedAt: T0, expiresAt: T0 + 10 * MIN, via: 'sign-in' } as const,
      ],
      signOuts: [T0 + 4 * MIN],
    }
    const drawn = layoutChart(log, T0 + 4 * MIN, 640)
    expect(drawn.lanes.map((lane) => lane.kind)).toEqual(['access', 'refresh'])
    expect(drawn.lanes[1]?.clipped).toBe(false)
    expect(drawn.signOuts).toHaveLength(1)
  })

  it('marks a token of unknown expiry as a dot at its issue', () => {
    const log = { rows: [{ ...access(T0, 'sign-in'), expiresAt: undefined }], signOuts: [] }
    const [lane] = layoutChart(log, T0 + MIN, 640).lanes
    expect(lane).toMatchObject({ unknown: true })
    expect(lane?.x2).toBe(lane?.x1)
  })

  it('keeps the newest lanes and counts the rest as hidden', () => {
    const rows = Array.from({ length: MAX_LANES + 3 }, (_, i) => access(T0 + i * MIN))
    const drawn = layoutChart({ rows, signOuts: [] }, T0, 640)
    expect(drawn.lanes).toHaveLength(MAX_LANES)
    expect(drawn.lanes[0]?.n).toBe(4)
    expect(drawn.hidden).toBe(3)
  })

  it('sizes to the box it is given, down to a legible minimum', () => {
    expect(layoutChart(session, now, 320).width).toBe(320)
    expect(layoutChart(session, now, 120).width).toBe(MIN_WIDTH)
    const phone = layoutChart(session, now, 300)
    const gaps = phone.ticks.slice(1).map((tick, i) => tick.x - (phone.ticks[i]?.x ?? 0))
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(MIN_TICK_SPACING)
    for (const lane of phone.lanes) {
      expect(lane.x1).toBeGreaterThanOrEqual(phone.plot.left)
      expect(lane.x2).toBeLessThanOrEqual(phone.plot.right)
    }
  })
})

describe('describeLifetimes', () => {
  it('sums up the tokens, the refreshes and the current expiry', () => {
    expect(describeLifetimes(session, T0 + 3 * MIN)).toBe(
      "3 access tokens, 1 ID token and 2 refresh tokens in this tab's session; 2 refreshes; " +
        'the current access token expires in 4 min; ' +
        "the refresh token's expiry is unknown (the provider does not say).",
    )
  })
  it('says when the access token expired, or when the session was signed out', () => {
    const one = { rows: [access(T0, 'sign-in')], signOuts: [] }
    expect(describeLifetimes(one, T0 + 7 * MIN)).toBe(
      "1 access token in this tab's session; the current access token expired 2 min ago.",
    )
    expect(describeLifetimes({ ...one, signOuts: [T0 + MIN] }, T0 + 3 * MIN)).toContain(
      'signed out 2 min ago',
    )
  })
  it('gives a known refresh-token expiry and says what the picture leaves out', () => {
    const log = {
      rows: [
        access(T0, 'sign-in'),
        { kind: 'refresh', issuedAt: T0, expiresAt: T0 + 3 * 60 * MIN, via: 'sign-in' } as const,
      ],
      signOuts: [],
    }
    const text = describeLifetimes(log, T0, 2)
    expect(text).toContain('the refresh token expires in 3 h')
    expect(text).toContain('leaves out the 2 oldest')
  })
  it('says so when nothing was issued', () => {
    expect(describeLifetimes({ rows: [], signOuts: [] }, T0)).toBe(
      'No tokens issued yet in this tab.',
    )
  })
})

describe('roughly', () => {
  it('rounds down to a unit a reader uses', () => {
    expect(roughly(59_000)).toBe('in under a minute')
    expect(roughly(4 * MIN + 59_000)).toBe('in 4 min')
    expect(roughly(-3 * 60 * MIN)).toBe('3 h ago')
    expect(roughly(3 * 24 * 60 * MIN)).toBe('in 3 days')
  })
})

describe('tickLabel', () => {
  it('shows seconds only for second steps, dates for day steps', () => {
    const at = T0 + 5 * MIN + 30_000
    expect(tickLabel(at, 30_000, 'en-GB', 'UTC')).toBe('10:05:30')
    expect(tickLabel(at, 5 * MIN, 'en-GB', 'UTC')).toBe('10:05')
    expect(tickLabel(at, 24 * 60 * MIN, 'en-GB', 'UTC')).toBe('14 Mar')
  })
})

describe('lifetimeTable', () => {
  it('lists every token in order of arrival, numbered per kind', () => {
    const rows = lifetimeTable(session)
    // Never wrapped between the kind and its number.
    expect(rows[0]?.token).toBe('Access token\u00a01')
    expect(rows.map((row) => `${row.token.replace('\u00a0', ' ')} (${row.via})`)).toEqual([
      'Access token 1 (sign-in)',
      'ID token 1 (sign-in)',
      'Refresh token 1 (sign-in)',
      'Access token 2 (refresh)',
      'Refresh token 2 (refresh)',
      'Access token 3 (refresh)',
    ])
    expect(rows[2]?.expiresAt).toBeUndefined()
  })
})
