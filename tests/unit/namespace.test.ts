import { describe, expect, it } from 'vitest'
import { deploymentNamespace, namespacedStorage } from '../../src/core/storage/namespace'
import { hasPendingLogins, saveTransient, takeTransient } from '../../src/core/protocol/transient'
import { memoryStorage } from './fake-fetch'

describe('deployment namespace', () => {
  it('differs between two copies on one origin and is the same for a copy and its index.html', () => {
    const production = deploymentNamespace(new URL('https://tools.test/console/'))
    const staging = deploymentNamespace(new URL('https://tools.test/staging/?code=x'))
    expect(production).toBe('pkce-console:/console/')
    expect(staging).toBe('pkce-console:/staging/')
    expect(deploymentNamespace(new URL('https://tools.test/console/index.html'))).toBe(production)
    expect(deploymentNamespace(new URL('https://tools.test/console'))).toBe(production)
    expect(deploymentNamespace(new URL('https://tools.test/'))).toBe('pkce-console:/')
  })

  it("keeps one copy's login records out of the other's sight in a shared sessionStorage", () => {
    const shared = memoryStorage()
    const production = namespacedStorage(shared, 'pkce-console:/console/')
    const staging = namespacedStorage(shared, 'pkce-console:/staging/')
    saveTransient(production, {
      verifier: 'v',
      state: 's1',
      profile_id: 'p',
      created_at: 1,
    })
    expect(hasPendingLogins(production)).toBe(true)
    expect(hasPendingLogins(staging)).toBe(false)
    expect(takeTransient(staging, 's1')).toBeUndefined()
    expect(takeTransient(production, 's1')?.verifier).toBe('v')
    expect(shared.length).toBe(0)
  })
})
