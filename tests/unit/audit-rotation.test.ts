import { describe, expect, it } from 'vitest'
import {
  fingerprint,
  NO_ROTATION_SEEN,
  observeRotation,
  type RotationMemory,
} from '../../src/console/audit/rotation'
import type { SessionState } from '../../src/console/state'
import type { TimelineEntry } from '../../src/core/record'
import { entry, stateWith, tokens } from './audit-fixtures'

/** Feeds the states to the watch in order, as session.subscribe would. */
const watch = (states: SessionState[]): RotationMemory =>
  states.reduce(observeRotation, NO_ROTATION_SEEN)

const refreshed = (status = '200 OK') =>
  entry({ step: 'refresh', method: 'POST', url: 'https://id.test/token', status })

/** A signed-in tab: tokens for `demo` and a timeline. */
const tab = (refreshToken: string | undefined, at: number, timeline: TimelineEntry[] = []) =>
  stateWith({
    selectedId: 'demo',
    tokens: tokens(at, 300, refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    timeline,
  })

describe('the rotation watch', () => {
  it('counts a refresh that brought a new refresh token as rotated', () => {
    const first = refreshed()
    const memory = watch([
      tab('rt-1', 1000),
      tab('rt-1', 1000, [first]),
      tab('rt-2', 2000, [first]),
    ])
    expect(memory.tallies.demo).toEqual({ rotated: 1, kept: 0 })
  })

  it('counts a refresh that kept the refresh token as kept', () => {
    const first = refreshed()
    const memory = watch([
      tab('rt-1', 1000),
      tab('rt-1', 1000, [first]),
      tab('rt-1', 2000, [first]),
    ])
    expect(memory.tallies.demo).toEqual({ rotated: 0, kept: 1 })
  })

  it('counts two refreshes once each', () => {
    const first = refreshed()
    const second = refreshed()
    const memory = watch([
      tab('rt-1', 1000),
      tab('rt-1', 1000, [first]),
      tab('rt-2', 2000, [first]),
      tab('rt-2', 2000, [first, second]),
      tab('rt-3', 3000, [first, second]),
      tab('rt-3', 3000, [first, second]),
    ])
    expect(memory.tallies.demo).toEqual({ rotated: 2, kept: 0 })
  })

  it("ignores new tokens that no refresh of this tab brought (another tab's refresh)", () => {
    const memory = watch([tab('rt-1', 1000), tab('rt-2', 2000)])
    expect(memory.tallies.demo).toBeUndefined()
  })

  it('ignores a refresh refused with a 4xx, and the sign-out that follows', () => {
    const refused = refreshed('400 Bad Request')
    const memory = watch([
      tab('rt-1', 1000),
      tab('rt-1', 1000, [refused]),
      stateWith({ selectedId: 'demo', tokens: undefined, timeline: [refused] }),
    ])
    expect(memory.tallies.demo).toBeUndefined()
  })

  it('does not count a refresh answered 5xx when another tab brings tokens later', () => {
    const failed = refreshed('502 Bad Gateway')
    const memory = watch([
      tab('rt-1', 1000),
      tab('rt-1', 1000, [failed]),
      tab('rt-2', 2000, [failed]),
    ])
    expect(memory.tallies.demo).toBeUndefined()
  })

  it('does not carry a refresh over to another profile', () => {
    const first = refreshed()
    const memory = watch([
      tab('rt-1', 1000),
      tab('rt-1', 1000, [first]),
      stateWith({
        selectedId: 'other',
        tokens: tokens(2000, 300, { refresh_token: 'x' }),
        timeline: [first],
      }),
    ])
    expect(memory.tallies).toEqual({})
  })

  it('keeps a fingerprint, never the refresh token itself', () => {
    const memory = watch([tab('rt-secret-value', 1000)])
    expect(JSON.stringify(memory)).not.toContain('rt-secret-value')
    expect(memory.fingerprint).toBe(fingerprint('rt-secret-value'))
  })

  it('fingerprints differ for different tokens and agree for the same', () => {
    expect(fingerprint('a')).not.toBe(fingerprint('b'))
    expect(fingerprint('token-1')).toBe(fingerprint('token-1'))
  })
})
