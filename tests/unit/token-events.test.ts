import { describe, expect, it } from 'vitest'
import { gaveUpAlert, retryingNotice } from '../../src/console/token-events'

const base = {
  id: 7,
  code: 'provider_unavailable',
  message: 'The refresh request failed.',
  hint: 'h',
}

describe('refresh notices', () => {
  it('say a refresh is being retried, and when', () => {
    expect(retryingNotice(base, 1, 2000)).toEqual({
      ...base,
      message: 'The refresh request failed. Your tokens are kept; retrying in 2 s (attempt 2).',
      hint: 'Nothing to do: the session continues as soon as the provider answers.',
    })
  })

  it('say when retries stopped that the tokens are kept', () => {
    expect(gaveUpAlert(base).message).toBe(
      'The refresh request failed. Retries stopped; your tokens are kept.',
    )
  })
})
