import { describe, expect, it } from 'vitest'
import { indexedDbStore, memoryStore } from '../../src/core/storage/kv'
import {
  deleteTokens,
  readHeldTokens,
  readTokens,
  writeTokens,
} from '../../src/core/storage/token-store'
import { MAX_LIFETIME_MS } from '../../src/core/jwt/expiry'

describe.each([
  ['IndexedDB', () => indexedDbStore('pkce-console:/test/')],
  ['memory', memoryStore],
])('token store (%s)', (_name, make) => {
  it('keeps tokens per profile and deletes one profile only', async () => {
    const store = make()
    const issued = { token_type: 'Bearer', received_at: 1, server: 'S' }
    await writeTokens(store, 'a', { access_token: 'A', ...issued })
    await writeTokens(store, 'b', { access_token: 'B', ...issued })
    await deleteTokens(store, 'a')
    expect(await readHeldTokens(store, 'a')).toBeUndefined()
    expect((await readTokens(store, 'b', 'S'))?.access_token).toBe('B')
  })

  it("reads another server's tokens (or tokens with no fingerprint) as no tokens", async () => {
    const store = make()
    await writeTokens(store, 'p', {
      access_token: 'A',
      token_type: 'Bearer',
      received_at: 1,
      server: 'S',
    })
    expect(await readTokens(store, 'p', 'T')).toBeUndefined()
    expect((await readTokens(store, 'p', 'S'))?.access_token).toBe('A')
    await writeTokens(store, 'p', { access_token: 'old', token_type: 'Bearer', received_at: 1 })
    expect(await readTokens(store, 'p', 'S')).toBeUndefined()
    expect((await readHeldTokens(store, 'p'))?.access_token).toBe('old')
  })

  it('reads malformed entries as no tokens', async () => {
    const store = make()
    await store.set('tokens:x', { access_token: 42 })
    expect(await readHeldTokens(store, 'x')).toBeUndefined()
  })

  it('bounds an expires_at no Date holds, stored by an older version', async () => {
    const store = make()
    const tokens = { access_token: 'A', token_type: 'Bearer', received_at: 1_000, server: 's' }
    await writeTokens(store, 'a', { ...tokens, expires_at: 1e16 })
    expect(await readTokens(store, 'a', 's')).toEqual({
      ...tokens,
      expires_at: 1_000 + MAX_LIFETIME_MS,
      expiry_capped: true,
    })
  })

  it('keeps a stored refresh_expires_at and reads a malformed one as unknown', async () => {
    const store = make()
    const tokens = { access_token: 'A', token_type: 'Bearer', received_at: 1_000 }
    await writeTokens(store, 'a', { ...tokens, refresh_expires_at: 5_000 })
    expect((await readHeldTokens(store, 'a'))?.refresh_expires_at).toBe(5_000)
    for (const bad of [1e16, '5000', Number.NaN]) {
      await store.set('tokens:b', { ...tokens, refresh_expires_at: bad })
      expect(await readHeldTokens(store, 'b')).toEqual(tokens)
    }
  })
})
