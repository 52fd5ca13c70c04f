import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import { createSession } from '../../src/console/session'
import { claimRows } from '../../src/console/claims/claims'
import { verifyJwt } from '../../src/core/jwt/verify'
import { App } from '../../src/ui/App'
import { PanelBoundary } from '../../src/ui/PanelBoundary'
import { memoryStore } from '../../src/core/storage/kv'
import { consolePage } from './console-page'

const encode = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const jwt = (payload: unknown) => `${encode({ alg: 'RS256', kid: 'k' })}.${encode(payload)}.c2ln`

/** Claim names that `Object.prototype` also has: a plain-object lookup finds its members. */
const HOSTILE_NAMES = ['valueOf', 'hasOwnProperty', 'toString', '__proto__', 'constructor']
const hostileClaims = () => {
  const claims: Record<string, unknown> = { sub: 'alice', exp: 1e13, iat: 1 }
  for (const name of HOSTILE_NAMES)
    Object.defineProperty(claims, name, { value: 'x', enumerable: true })
  return claims
}
const hostileJwt = () => jwt(hostileClaims())

afterEach(cleanup)

/** A session on a store, with no network: every request answers 404. */
const sessionWith = (store = memoryStore()) =>
  createSession(consolePage({ store, now: () => 2_000 }))

describe('a hostile token', () => {
  it('gets no description from Object.prototype for claims named like its members', () => {
    const rows = claimRows(JSON.parse(JSON.stringify(hostileClaims())) as Record<string, unknown>)
    for (const name of HOSTILE_NAMES) {
      expect(rows.find((row) => row.name === name)?.description, name).toBeUndefined()
    }
  })

  it('stored with a huge expires_at, still starts signed in, and Log out works', async () => {
    const store = memoryStore()
    await store.set('selected', 'nexus-mods')
    // Tokens are used only under the server that issued them: the preset's fingerprint.
    const probe = sessionWith(store)
    await probe.start()
    const preset = probe.getState().profiles.find((entry) => entry.profile.id === 'nexus-mods')
    if (preset === undefined) throw new Error('the nexus-mods preset is not listed')
    await store.set('tokens:nexus-mods', {
      server: serverFingerprint(preset.profile),
      access_token: hostileJwt(),
      id_token: hostileJwt(),
      token_type: 'Bearer',
      expires_at: 1e16,
      received_at: 1_000,
    })
    const session = sessionWith(store)
    render(() => <App session={session} />)
    await session.start()
    expect(screen.getByRole('status').textContent).toBe('Signed in')
    const table = await screen.findByRole('table', { name: 'Access token claims' })
    expect(within(table).getByRole('rowheader', { name: 'valueOf' })).toBeTruthy()
    expect(table.textContent).not.toContain('[object')
    fireEvent.click(screen.getByRole('button', { name: 'Log out' }))
    await screen.findByText('Signed out')
    expect(await store.get('tokens:nexus-mods')).toBeUndefined()
  })

  it('pasted into the Decoder, shows its claims and the rest of the page keeps working', async () => {
    const session = sessionWith()
    render(() => <App session={session} />)
    await session.start()
    const decoder = screen.getByRole('region', { name: 'Decoder' })
    fireEvent.input(within(decoder).getByRole('textbox', { name: 'Token' }), {
      target: { value: hostileJwt() },
    })
    fireEvent.click(within(decoder).getByRole('button', { name: 'Decode' }))
    const table = await within(decoder).findByRole('table', { name: 'Decoded token claims' })
    for (const name of HOSTILE_NAMES)
      expect(within(table).getByRole('rowheader', { name })).toBeTruthy()
    expect(table.textContent).not.toContain('[object')
    await within(decoder).findByText(/^Signature not checked/)
    expect(screen.getByRole('status').textContent).toBe('Signed out')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('names no key type that Object.prototype has: verification says why, never throws', async () => {
    const keys = ['constructor', 'toString', '__proto__'].map((kty) => ({ kty }))
    const result = await verifyJwt(hostileJwt(), [{ kind: 'jwks', keys }], {
      fetch: () => Promise.reject(new Error('no fetch')),
      now: 0,
    })
    expect(result).toMatchObject({ status: 'not_checked', code: 'no_matching_key' })
    expect(result.notes).toHaveLength(3)
    for (const note of result.notes) expect(note).toMatch(/is not a public-key type$/)
  })
})

describe('a failure while rendering', () => {
  it('shows an alert in place of the panel, and its neighbours still render', () => {
    const Broken = () => {
      throw new Error('claim lookup failed')
    }
    render(() => (
      <>
        <PanelBoundary name="Access token">
          <Broken />
        </PanelBoundary>
        <p>next panel</p>
      </>
    ))
    expect(screen.getByRole('alert').textContent).toContain(
      'render_failed: the Access token panel could not be shown: claim lookup failed',
    )
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy()
    expect(screen.getByText('next panel')).toBeTruthy()
  })

  it('in a session listener does not stop start-up', async () => {
    const session = sessionWith()
    session.subscribe(() => {
      throw new Error('a panel failed')
    })
    await session.start()
    expect(session.getState().ready).toBe(true)
  })
})
