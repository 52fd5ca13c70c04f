import { describe, expect, it } from 'vitest'
import { serverFingerprint } from '../../src/core/profile/server-fingerprint'
import type { Profile } from '../../src/core/profile/types'
import { createSession } from '../../src/console/session'
import { memoryStore } from '../../src/core/storage/kv'
import { writeTokens } from '../../src/core/storage/token-store'
import { json, memoryStorage } from './fake-fetch'

const APP = 'https://app.test/console/'
const ISSUER = 'https://id.test'
const profile: Profile = {
  id: 'idp',
  name: 'IdP',
  client_id: 'app',
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  scope: '',
  pkce: true,
}

/** A session signed in to `profile`; the network is down unless `online`. */
async function session(online: boolean) {
  const store = memoryStore()
  await writeTokens(store, 'idp', {
    access_token: 'AT',
    refresh_token: 'RT',
    token_type: 'Bearer',
    received_at: 1,
    expires_at: 10_000_000,
    server: serverFingerprint(profile),
  })
  const sent: string[] = []
  const navigated: string[] = []
  const created = createSession({
    url: new URL(APP),
    callback: undefined,
    navigate: (url) => navigated.push(url),
    transientStorage: memoryStorage(),
    store,
    fetch: (input) => {
      const url = input instanceof Request ? input.url : String(input)
      // providers.json comes from the service worker's copy; the provider is out of reach.
      if (url === `${APP}providers.json`)
        return Promise.resolve(json({ profiles: [profile], default: 'idp' }))
      sent.push(url)
      return Promise.reject(new TypeError('Failed to fetch'))
    },
    now: () => 1_000,
    online: () => online,
  })
  await created.start()
  const alerts = () => created.getState().alerts
  return { session: created, sent, navigated, alerts }
}

describe('offline', () => {
  it('Log in says the provider cannot be reached, and does not leave the app', async () => {
    const { session: offline, sent, navigated, alerts } = await session(false)
    await offline.login()
    expect(navigated).toEqual([])
    expect(sent).toEqual([])
    expect(alerts().map((alert) => [alert.code, alert.message, alert.hint])).toEqual([
      [
        'provider_unavailable',
        'You are offline: the provider cannot be reached for the login.',
        'Connect to the network and try again. Stored sessions, their claims and the Decoder work offline.',
      ],
    ])
    expect(offline.getState().busy).toBe(false)
  })

  it('a failed refresh says offline instead of "network or CORS", and keeps the tokens', async () => {
    const { session: offline, sent, alerts } = await session(false)
    await offline.refreshNow()
    expect(sent).toEqual([`${ISSUER}/token`])
    expect(alerts().map((alert) => alert.code)).toEqual(['provider_unavailable'])
    expect(alerts()[0]?.message).toMatch(/^You are offline: .* refresh request/)
    expect(offline.getState().tokens?.access_token).toBe('AT')
  })

  it('online, the same failure keeps the network-or-CORS diagnosis, and Log in goes ahead', async () => {
    const { session: online, navigated, alerts } = await session(true)
    await online.refreshNow()
    expect(alerts().map((alert) => alert.code)).toEqual(['cors_blocked'])
    await online.login()
    expect(navigated).toHaveLength(1)
    expect(navigated[0]).toMatch(/^https:\/\/id\.test\/authorize\?/)
  })
})
