import * as oauth from 'oauth4webapi'
import { bench, describe } from 'vitest'
import { generateDpopKey } from '../../src/core/protocol/dpop'

// What DPoP adds to each request: one ES256 signature (and a SHA-256 of the token for `ath`),
// measured through the same oauth4webapi call the library makes, against a fetch that answers at
// once, next to the same call without a proof.
const key = await generateDpopKey()
const handle = oauth.DPoP({}, key.keyPair)
const url = new URL('https://api.test/me')
const answer = () => Promise.resolve(new Response('{}', { status: 200 }))
const token = 'a'.repeat(800)

describe('proof per request', () => {
  bench('Bearer: protectedResourceRequest, no proof', async () => {
    await oauth.protectedResourceRequest(token, 'GET', url, undefined, null, {
      [oauth.customFetch]: answer,
    })
  })
  bench('DPoP: protectedResourceRequest with a proof (ES256 sign + ath)', async () => {
    await oauth.protectedResourceRequest(token, 'GET', url, undefined, null, {
      DPoP: handle,
      [oauth.customFetch]: answer,
    })
  })
})
