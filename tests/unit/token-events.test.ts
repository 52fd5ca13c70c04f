import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/core/protocol/errors'
import { initialState } from '../../src/console/state'
import { tokenEventPatch } from '../../src/console/token-events'

const alertFor = (error: unknown) => ({
  id: 7,
  code: (error as AppError).displayCode,
  message: (error as AppError).message,
  hint: 'h',
})

describe('tokenEventPatch', () => {
  it('shows the reason of a sign-out as an alert and drops the tokens', () => {
    const state = {
      ...initialState(),
      tokens: { access_token: 'a', token_type: 'Bearer', received_at: 0 },
    }
    const patch = tokenEventPatch(
      { type: 'signed-out', reason: { code: 'invalid_grant', message: 'm' } },
      state,
      () => 3,
      alertFor,
    )
    expect(patch).toEqual({
      tokens: undefined,
      retrying: undefined,
      alerts: [
        { id: 3, code: 'invalid_grant', message: 'm', hint: 'Press Log in to sign in again.' },
      ],
    })
  })

  it('says a refresh is being retried, and when, until it recovers', () => {
    const error = new AppError('provider_unavailable', 'The refresh request failed.')
    const patch = tokenEventPatch(
      { type: 'retrying', error, attempt: 1, delayMs: 2000 },
      initialState(),
      () => 1,
      alertFor,
    )
    expect(patch.retrying?.message).toBe(
      'The refresh request failed. Your tokens are kept; retrying in 2 s (attempt 2).',
    )
    expect(tokenEventPatch({ type: 'recovered' }, initialState(), () => 1, alertFor)).toEqual({
      retrying: undefined,
    })
  })
})
