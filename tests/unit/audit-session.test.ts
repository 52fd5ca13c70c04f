import { describe, expect, it } from 'vitest'
import { createSession } from '../../src/console/session'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import type { Profile } from '../../src/core/profile/types'
import { memoryStore } from '../../src/core/storage/kv'
import { writeTokens } from '../../src/core/storage/token-store'
import { json, memoryStorage } from './fake-fetch'

const APP = 'https://app.test/console/'
const idp: Profile = {
  id: 'idp',
  name: 'IdP',
  client_id: 'app',
  scope: '',
  pkce: true,
  authorization_endpoint: 'https://id.test/authorize',
  token_endpoint: 'https://id.test/token',
}

/**
 * A signed-in page load whose token endpoint answers each refresh with the next refresh token
 * of `refreshTokens` (undefined: an answer without one). Records every request sent.
 */
async function signedIn(refreshTokens: (string | undefined)[]) {
  const store = memoryStore()
  await writeTokens(store, 'idp', {
    access_token: 'AT-0',
    token_type: 'Bearer',
    refresh_token: 'RT-0',
    received_at: 1_000,
    expires_at: 10_000_000,
    server: serverFingerprint(idp),
  })
  const sent: string[] = []
  let clock = 2_000
  const session = createSession({
    url: new URL(APP),
    callback: undefined,
    navigate: () => undefined,
    transientStorage: memoryStorage(),
    store,
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url === `${APP}providers.json`)
        return Promise.resolve(json({ profiles: [idp], default: 'idp' }))
      sent.push(`${init?.method ?? 'GET'} ${url}`)
      if (url === idp.token_endpoint) {
        const next = refreshTokens.shift()
        return Promise.resolve(
          json({
            access_token: `AT-${String(clock)}`,
            token_type: 'Bearer',
            expires_in: 600,
            ...(next !== undefined ? { refresh_token: next } : {}),
          }),
        )
      }
      return Promise.reject(new TypeError(`unexpected request ${url}`))
    },
    now: () => (clock += 1_000),
  })
  await session.start()
  return { session, sent }
}

const finding = async (session: Awaited<ReturnType<typeof signedIn>>['session'], prefix: string) =>
  (await session.audit())?.findings.find((f) => f.checked.startsWith(prefix))

describe("the audit of this tab's session", () => {
  it('sees the refresh token rotated on two refreshes', async () => {
    const { session } = await signedIn(['RT-1', 'RT-2'])
    expect((await finding(session, 'Refresh token rotation'))?.level).toBe('Warning')
    await session.refreshNow()
    await session.refreshNow()
    const rotation = await finding(session, 'Refresh token rotation')
    expect(rotation?.level).toBe('Pass')
    expect(rotation?.checked).toContain('each of the 2 refreshes')
  })

  it('fails a refresh that kept the refresh token (an answer without one)', async () => {
    const { session } = await signedIn([undefined])
    await session.refreshNow()
    const rotation = await finding(session, 'Refresh token rotation')
    expect(rotation?.level).toBe('Fail')
    expect(rotation?.checked).toContain('1 of 1 refreshes')
  })

  it('passes CORS at the token endpoint after the refresh, and sends nothing there itself', async () => {
    const { session, sent } = await signedIn(['RT-1'])
    expect((await finding(session, 'CORS at the token endpoint'))?.level).toBe('Warning')
    await session.refreshNow()
    expect((await finding(session, 'CORS at the token endpoint'))?.level).toBe('Pass')
    expect(sent).toEqual(['POST https://id.test/token'])
  })
})

it('asks for the metadata afresh at each audit: a provider fixed since is seen fixed', async () => {
  const issuer = 'https://id.fixed.test'
  const discovering = {
    id: 'fixed',
    name: 'Fixed',
    issuer,
    discovery: true,
    client_id: 'app',
    scope: '',
  }
  let methods = ['plain']
  const session = createSession({
    url: new URL(APP),
    callback: undefined,
    navigate: () => undefined,
    transientStorage: memoryStorage(),
    store: memoryStore(),
    fetch: (input) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url === `${APP}providers.json`) return Promise.resolve(json({ profiles: [discovering] }))
      if (url === `${issuer}/.well-known/openid-configuration`)
        return Promise.resolve(
          json({
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
            code_challenge_methods_supported: methods,
          }),
        )
      return Promise.reject(new TypeError(`unexpected request ${url}`))
    },
    now: () => 1_000,
  })
  await session.start()
  const pkce = async () =>
    (await session.audit())?.findings.find((f) => f.checked.startsWith('PKCE'))?.level
  expect(await pkce()).toBe('Fail')
  methods = ['S256']
  expect(await pkce()).toBe('Pass')
})
