import { toTokens } from '../../src/core/tokens'
import { describe, expect, it } from 'vitest'
import {
  createLifetimeRecorder,
  emptyBook,
  recordState,
  selectedLog,
  tokenDigest,
  type LifetimeLog,
} from '../../src/console/lifetimes'
import { initialState, type SessionState } from '../../src/console/state'
import { toStoredTokens } from '../../src/core/protocol/token-response'
import type { StoredTokens } from '../../src/core/storage/token-store'

/** An unsigned JWT whose payload is `claims` (the recorder only decodes it). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`
}

/** A session's state changes as the session makes them, with a clock the test moves. */
function fakeSession() {
  let state: SessionState = initialState()
  const listeners = new Set<(state: SessionState) => void>()
  let clock = 1_000_000
  let last: StoredTokens | undefined
  const update = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch }
    for (const listener of listeners) listener(state)
  }
  return {
    now: () => clock,
    tick: (ms: number) => (clock += ms),
    update,
    source: {
      getState: () => state,
      subscribe(listener: (state: SessionState) => void) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    },
    /** A token answer arrives now, stored as the session stores it. */
    answer(
      fields: Record<string, unknown>,
      previous = state.tokens ? last : undefined,
    ): StoredTokens {
      const tokens = toStoredTokens(
        { token_type: 'Bearer', expires_in: 300, ...fields } as never,
        clock,
        previous,
      )
      last = tokens
      update({ tokens: toTokens(tokens) })
      return tokens
    },
  }
}

const seconds = (ms: number) => Math.floor(ms / 1000)

function signedInTwiceRefreshed() {
  const s = fakeSession()
  const recorder = createLifetimeRecorder(s.source, s.now)
  const logs: LifetimeLog[] = []
  recorder.subscribe((log) => logs.push(log))
  s.update({ selectedId: 'demo' })
  s.update({ ready: true })
  const idExp = seconds(s.now()) + 3600
  const issued: StoredTokens[] = [
    s.answer({
      access_token: 'access-1-secret',
      refresh_token: 'refresh-1-secret',
      id_token: jwt({ sub: 'alice', exp: idExp }),
    }),
  ]
  s.tick(60_000)
  // oidc-provider rotates the refresh token and sends a new ID token on refresh.
  issued.push(
    s.answer({
      access_token: 'access-2-secret',
      refresh_token: 'refresh-2-secret',
      id_token: jwt({ sub: 'alice', exp: idExp + 60 }),
    }),
  )
  s.tick(30_000)
  // A provider that neither rotates nor sends an ID token: only the access token is new.
  issued.push(s.answer({ access_token: 'access-3-secret' }))
  return { s, recorder, logs, issued, idExp }
}

describe('lifetime recorder', () => {
  it('logs a sign-in then two refreshes as three access tokens, with the ID and refresh tokens', () => {
    const { recorder, issued, idExp } = signedInTwiceRefreshed()
    const rows = recorder.log().rows
    const access = rows.filter((row) => row.kind === 'access')
    expect(access).toEqual([
      {
        kind: 'access',
        issuedAt: issued[0]!.received_at,
        expiresAt: issued[0]!.expires_at,
        via: 'sign-in',
      },
      {
        kind: 'access',
        issuedAt: issued[1]!.received_at,
        expiresAt: issued[1]!.expires_at,
        via: 'refresh',
      },
      {
        kind: 'access',
        issuedAt: issued[2]!.received_at,
        expiresAt: issued[2]!.expires_at,
        via: 'refresh',
      },
    ])
    expect(rows.filter((row) => row.kind === 'id')).toEqual([
      { kind: 'id', issuedAt: issued[0]!.received_at, expiresAt: idExp * 1000, via: 'sign-in' },
      {
        kind: 'id',
        issuedAt: issued[1]!.received_at,
        expiresAt: (idExp + 60) * 1000,
        via: 'refresh',
      },
    ])
    // No refresh_expires_in: the refresh token's expiry is unknown, not guessed.
    expect(rows.filter((row) => row.kind === 'refresh')).toEqual([
      { kind: 'refresh', issuedAt: issued[0]!.received_at, expiresAt: undefined, via: 'sign-in' },
      { kind: 'refresh', issuedAt: issued[1]!.received_at, expiresAt: undefined, via: 'refresh' },
    ])
  })

  it('keeps no token value, only kinds and times', () => {
    const { s, recorder, logs, issued } = signedInTwiceRefreshed()
    let book = emptyBook()
    book = recordState(book, { selectedId: 'demo', tokens: undefined }, 0)
    for (const tokens of issued)
      book = recordState(book, { selectedId: 'demo', tokens: toTokens(tokens) }, 0)
    const kept = JSON.stringify([
      recorder.log(),
      logs,
      book,
      [...book.tracks.values()],
      s.source.getState().selectedId,
    ])
    for (const tokens of issued) {
      for (const value of [tokens.access_token, tokens.refresh_token, tokens.id_token]) {
        if (value === undefined) continue
        expect(kept).not.toContain(value)
        // Not even a recognisable piece of one (the ID token's payload, the secrets' names).
        expect(kept).not.toContain(value.slice(0, 12))
      }
    }
    for (const row of recorder.log().rows)
      expect(Object.keys(row).sort()).toEqual(['expiresAt', 'issuedAt', 'kind', 'via'])
  })

  it('adds no row when the same tokens come back (a reload from storage, another field changing)', () => {
    const { s, recorder } = signedInTwiceRefreshed()
    const before = recorder.log()
    s.update({ tokens: { ...s.source.getState().tokens! } })
    s.update({ busy: true })
    expect(recorder.log()).toBe(before)
  })

  it('tells its subscribers only when the log changes', () => {
    const { s, logs } = signedInTwiceRefreshed()
    expect(logs.map((log) => log.rows.length)).toEqual([3, 6, 7])
    s.update({ busy: false })
    expect(logs).toHaveLength(3)
  })

  it('notes a sign-out, and the next tokens are a new sign-in', () => {
    const { s, recorder } = signedInTwiceRefreshed()
    s.tick(5_000)
    s.update({ tokens: undefined })
    expect(recorder.log().signOuts).toEqual([s.now()])
    s.tick(5_000)
    s.answer({ access_token: 'access-4-secret' }, undefined)
    expect(recorder.log().rows.at(-1)).toMatchObject({ kind: 'access', via: 'sign-in' })
  })

  it("never logs one profile's tokens under another while the selection changes", () => {
    const { s, recorder } = signedInTwiceRefreshed()
    const demo = recorder.log()
    // The session switches selectedId first; the old tokens are still shown for a moment.
    s.update({ selectedId: 'other' })
    s.update({ busy: true })
    expect(recorder.log().rows).toEqual([])
    s.update({ tokens: undefined })
    expect(recorder.log()).toEqual({ rows: [], signOuts: [] })
    s.answer({ access_token: 'other-access' }, undefined)
    expect(recorder.log().rows).toHaveLength(1)
    // Back to the first profile, whose tokens are loaded again: its log as it was.
    s.update({ selectedId: 'demo' })
    s.update({ tokens: { ...s.source.getState().tokens!, access_token: 'access-3-secret' } })
    expect(recorder.log()).toBe(demo)
  })

  it("uses the provider's refresh_expires_in, and drops expiries no date can hold", () => {
    const s = fakeSession()
    const recorder = createLifetimeRecorder(s.source, s.now)
    s.update({ selectedId: 'kc' })
    s.answer({
      access_token: 'a',
      refresh_token: 'r',
      refresh_expires_in: 1800,
      id_token: jwt({ exp: 1e20 }),
    })
    const rows = recorder.log().rows
    expect(rows.find((row) => row.kind === 'refresh')?.expiresAt).toBe(s.now() + 1_800_000)
    expect(rows.find((row) => row.kind === 'id')?.expiresAt).toBeUndefined()
  })

  it('started at the first tokens (as the page loads it), logs them as the sign-in', () => {
    const s = fakeSession()
    s.update({ selectedId: 'demo', ready: true })
    s.answer({ access_token: 'access-1-secret', refresh_token: 'refresh-1-secret' })
    const late = createLifetimeRecorder(s.source, s.now, { fromShownTokens: true })
    const plain = createLifetimeRecorder(s.source, s.now)
    expect(late.log().rows.map((row) => [row.kind, row.via])).toEqual([
      ['access', 'sign-in'],
      ['refresh', 'sign-in'],
    ])
    // Without the option, tokens shown at start belong to the previous selection: not logged.
    expect(plain.log().rows).toEqual([])
    s.tick(60_000)
    s.answer({ access_token: 'access-2-secret', refresh_token: 'refresh-2-secret' })
    expect(late.log().rows.map((row) => row.via)).toEqual([
      'sign-in',
      'sign-in',
      'refresh',
      'refresh',
    ])
  })

  it('stops following the session once disposed', () => {
    const { s, recorder } = signedInTwiceRefreshed()
    recorder.dispose()
    const before = recorder.log()
    s.answer({ access_token: 'access-4-secret' })
    expect(recorder.log()).toBe(before)
  })
})

describe('tokenDigest', () => {
  it('is short and tells apart tokens that differ in one character', () => {
    expect(tokenDigest('abc')).toMatch(/^[0-9a-f]{8}$/)
    expect(tokenDigest('token-a')).not.toBe(tokenDigest('token-b'))
    expect(tokenDigest('token-a')).toBe(tokenDigest('token-a'))
  })
})

describe('selectedLog', () => {
  it('is empty before any profile is selected', () => {
    expect(selectedLog(emptyBook())).toEqual({ rows: [], signOuts: [] })
  })
})
