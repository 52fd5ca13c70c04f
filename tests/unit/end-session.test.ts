import { describe, expect, it } from 'vitest'
import {
  completeEndSession,
  isLogoutReturn,
  startEndSession,
} from '../../src/core/protocol/end-session'
import { AppError } from '../../src/core/protocol/errors'
import { TRANSIENT_TTL_MS } from '../../src/core/protocol/transient'
import { memoryStorage } from './fake-fetch'
import { hintFor } from '../../src/console/alerts'

const options = (storage: Storage, idTokenHint: string | null = 'id.token.jwt') => ({
  storage,
  profileId: 'demo',
  clientId: 'pkce-console',
  idTokenHint: idTokenHint ?? undefined,
  postLogoutRedirectUri: 'https://app.test/console/',
  now: 1000,
})

function thrown(run: () => unknown): AppError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('expected an AppError')
}

describe('startEndSession', () => {
  it('sends id_token_hint, client_id, post_logout_redirect_uri and a fresh state', () => {
    const storage = memoryStorage()
    const url = startEndSession('https://id.test/session/end?ui_locales=en', options(storage))
    const params = url.searchParams
    expect(params.get('ui_locales')).toBe('en')
    expect(params.get('id_token_hint')).toBe('id.token.jwt')
    expect(params.get('client_id')).toBe('pkce-console')
    expect(params.get('post_logout_redirect_uri')).toBe('https://app.test/console/')
    expect(params.get('state')).toMatch(/^[\w-]{20,}$/)
    const other = startEndSession('https://id.test/session/end', options(memoryStorage()))
    expect(other.searchParams.get('state')).not.toBe(params.get('state'))
  })

  it('stores the state and profile, never the ID token', () => {
    const storage = memoryStorage()
    startEndSession('https://id.test/end', options(storage))
    expect(storage.length).toBe(1)
    const stored = storage.getItem(storage.key(0) ?? '') ?? ''
    expect(stored).not.toContain('id.token.jwt')
    expect(JSON.parse(stored)).toMatchObject({ profile_id: 'demo', created_at: 1000 })
  })

  it('leaves id_token_hint out when the session had no ID token', () => {
    const url = startEndSession('https://id.test/end', options(memoryStorage(), null))
    expect(url.searchParams.has('id_token_hint')).toBe(false)
    expect(url.searchParams.get('client_id')).toBe('pkce-console')
  })
})

describe('isLogoutReturn', () => {
  const none = () => false
  it('is a state alone that no login waits for', () => {
    expect(isLogoutReturn(new URLSearchParams('state=abc'), none)).toBe(true)
    expect(isLogoutReturn(new URLSearchParams('state=abc&code=x'), none)).toBe(false)
    expect(isLogoutReturn(new URLSearchParams('state=abc&error=access_denied'), none)).toBe(false)
    expect(isLogoutReturn(new URLSearchParams('code=x'), none)).toBe(false)
    expect(isLogoutReturn(new URLSearchParams('state=abc'), (s) => s === 'abc')).toBe(false)
  })
})

describe('completeEndSession', () => {
  it('accepts the state it sent, once', () => {
    const storage = memoryStorage()
    const state = startEndSession('https://id.test/end', options(storage)).searchParams.get('state')
    const params = new URLSearchParams({ state: state ?? '' })
    expect(completeEndSession(storage, params, 2000)).toMatchObject({ profile_id: 'demo' })
    expect(storage.length).toBe(0)
    expect(thrown(() => completeEndSession(storage, params, 2000)).code).toBe('state_mismatch')
  })

  it('refuses a state it did not send', () => {
    const storage = memoryStorage()
    startEndSession('https://id.test/end', options(storage))
    const error = thrown(() =>
      completeEndSession(storage, new URLSearchParams('state=forged'), 2000),
    )
    expect(error.code).toBe('state_mismatch')
    // A logout return, not a login: the advice is that the local logout happened anyway.
    expect(error.detail).toEqual({ step: 'logout return' })
    expect(hintFor(error, { origin: 'https://app.test' })).toMatch(/signed out/)
  })

  it('refuses a return after 10 minutes and sweeps expired records', () => {
    const storage = memoryStorage()
    const state = startEndSession('https://id.test/end', options(storage)).searchParams.get('state')
    startEndSession('https://id.test/end', options(storage))
    const late = 1000 + TRANSIENT_TTL_MS
    const error = thrown(() =>
      completeEndSession(storage, new URLSearchParams({ state: state ?? '' }), late),
    )
    expect(error.code).toBe('login_expired')
    expect(storage.length).toBe(0)
  })
})
