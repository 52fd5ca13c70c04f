import { cleanup, render, screen, within } from '@solidjs/testing-library'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LifetimeLog } from '../../src/console/lifetimes'
import { TokenLifetimes } from '../../src/ui/TokenLifetimes'

const MIN = 60_000
const T0 = Date.UTC(2025, 2, 14, 10, 0, 0)

const log: LifetimeLog = {
  rows: [
    { kind: 'access', issuedAt: T0, expiresAt: T0 + 5 * MIN, via: 'sign-in' },
    { kind: 'refresh', issuedAt: T0, expiresAt: undefined, via: 'sign-in' },
    { kind: 'access', issuedAt: T0 + MIN, expiresAt: T0 + 6 * MIN, via: 'refresh' },
  ],
  signOuts: [],
}

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}

const picture = () => screen.getByRole('img')
const nowX = () => document.querySelector('.lt-now')?.getAttribute('x1')

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
  vi.setSystemTime(T0 + MIN)
})
afterEach(() => {
  cleanup()
  setVisibility('visible')
  vi.useRealTimers()
})

describe('TokenLifetimes', () => {
  it('is a figure named Token lifetimes: a picture with a text alternative, and its data', () => {
    render(() => <TokenLifetimes log={log} />)
    const figure = screen.getByRole('figure', { name: 'Token lifetimes' })
    expect(within(figure).getByRole('img').getAttribute('aria-label')).toBe(
      "2 access tokens and 1 refresh token in this tab's session; 1 refresh; " +
        "the current access token expires in 5 min; the refresh token's expiry is unknown " +
        '(the provider does not say).',
    )
    const table = within(figure).getByRole('table', { name: 'Token lifetimes data' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map((row) => row.querySelector('th')?.textContent)).toEqual([
      'Access token\u00a01 sign-in',
      'Refresh token\u00a01 sign-in',
      'Access token\u00a02 refresh',
    ])
    expect(rows[1]?.querySelectorAll('td')[1]?.textContent).toBe('unknown')
    expect(rows[0]?.querySelector('time')?.getAttribute('datetime')).toBe(
      new Date(T0).toISOString(),
    )
  })

  it('draws a bar per access token and none for a refresh token of unknown expiry', () => {
    render(() => <TokenLifetimes log={log} />)
    const lanes = [...document.querySelectorAll('.lt-lane')].map((lane) => lane.textContent)
    expect(lanes).toEqual(['Access 1', 'Access 2'])
    // The legend names only what is drawn.
    const legend = document.querySelector('.lt-legend')?.textContent ?? ''
    expect(legend).toContain('Access token')
    expect(legend).not.toContain('Refresh token')
  })

  it('moves "now" once a second, not more often', () => {
    render(() => <TokenLifetimes log={log} />)
    const start = nowX()
    vi.advanceTimersByTime(999)
    expect(nowX()).toBe(start)
    vi.advanceTimersByTime(1)
    expect(Number(nowX())).toBeGreaterThan(Number(start))
  })

  it('stops while the page is hidden and catches up when it is shown', () => {
    render(() => <TokenLifetimes log={log} />)
    setVisibility('hidden')
    const hidden = nowX()
    vi.advanceTimersByTime(2 * MIN)
    expect(nowX()).toBe(hidden)
    expect(picture().getAttribute('aria-label')).toContain('expires in 5 min')
    setVisibility('visible')
    expect(Number(nowX())).toBeGreaterThan(Number(hidden))
    expect(picture().getAttribute('aria-label')).toContain('expires in 3 min')
    vi.advanceTimersByTime(MIN)
    expect(picture().getAttribute('aria-label')).toContain('expires in 2 min')
  })

  it('stops its clock when removed', () => {
    const { unmount } = render(() => <TokenLifetimes log={log} />)
    unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
