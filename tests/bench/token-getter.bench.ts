import { bench, describe } from 'vitest'
import { createTokenGetter } from '../../src/core/refresh/token-getter'
import { memoryStore } from '../../src/core/storage/kv'
import { writeTokens } from '../../src/core/storage/token-store'

// The hot path every API call takes: a valid token, returned from memory with no I/O.
const store = memoryStore()
const now = Date.now()
await writeTokens(store, 'p', {
  access_token: 'token',
  token_type: 'Bearer',
  refresh_token: 'r',
  received_at: now,
  expires_at: now + 3600_000,
  server: 'bench',
})
const getter = createTokenGetter({
  profileId: 'p',
  server: 'bench',
  store,
  now: () => Date.now(),
  refresh: () => Promise.reject(new Error('a valid token must not be refreshed')),
  onEvent: () => undefined,
  timers: { setTimeout: () => 0, clearTimeout: () => undefined },
})
await getter.load()

describe('token getter', () => {
  bench('get() with a valid token', async () => {
    await getter.get()
  })
})
