import { describe, expect, it } from 'vitest'
import { indexedDbStore, memoryStore } from '../../src/storage/kv'
import { deleteTokens, readTokens, writeTokens } from '../../src/storage/token-store'
import { MAX_LIFETIME_MS } from '../../src/tokens/expiry'

describe.each([
  ['IndexedDB', indexedDbStore],
  ['memory', memoryStore],
])('token store (%s)', (_name, make) => {
  it('keeps tokens per profile and deletes one profile only', async () => {
    const store = make()
    await writeTokens(store, 'a', { access_token: 'A', token_type: 'Bearer', received_at: 1 })
    await writeTokens(store, 'b', { access_token: 'B', token_type: 'Bearer', received_at: 1 })
    await deleteTokens(store, 'a')
    expect(await readTokens(store, 'a')).toBeUndefined()
    expect((await readTokens(store, 'b'))?.access_token).toBe('B')
  })

  it('reads malformed entries as no tokens', async () => {
    const store = make()
    await store.set('tokens:x', { access_token: 42 })
    expect(await readTokens(store, 'x')).toBeUndefined()
  })

  it('bounds an expires_at no Date holds, stored by an older version', async () => {
    const store = make()
    const tokens = { access_token: 'A', token_type: 'Bearer', received_at: 1_000 }
    await writeTokens(store, 'a', { ...tokens, expires_at: 1e16 })
    expect(await readTokens(store, 'a')).toEqual({
      ...tokens,
      expires_at: 1_000 + MAX_LIFETIME_MS,
      expiry_capped: true,
    })
  })
})
