import { describe, expect, it } from 'vitest'
import {
  checkJwksCors,
  checkTokenEndpointCors,
  checkUserinfoCors,
  probe,
} from '../../src/console/audit/cors'
import { entry, ISSUER } from './audit-fixtures'
import { json } from './fake-fetch'

const APP_ORIGIN = 'https://app.test'
const TOKEN = `${ISSUER}/token`

describe('the CORS probe', () => {
  it('sends a plain GET without credentials, token or custom header', async () => {
    const seen: RequestInit[] = []
    const result = await probe(`${ISSUER}/jwks`, async (_url, init) => {
      seen.push(init ?? {})
      return json({ keys: [] })
    })
    expect(result.kind).toBe('answered')
    expect(seen).toEqual([{ method: 'GET', credentials: 'omit' }])
  })

  it("reads a fetch TypeError as blocked, and the session's timeout as no answer in time", async () => {
    const blocked = await probe(`${ISSUER}/me`, () =>
      Promise.reject(new TypeError('Failed to fetch')),
    )
    expect(blocked.kind).toBe('blocked')
    const late = await probe(`${ISSUER}/me`, () =>
      Promise.reject(new DOMException('no answer within 15 s', 'TimeoutError')),
    )
    expect(late.kind).toBe('timeout')
  })
})

describe('CORS at the JWKS and userinfo (RFC 10017 §6.3.3.4)', () => {
  it('passes an answer the page could read, even a 401 at userinfo without a token', () => {
    const answered = { kind: 'answered' as const, response: new Response(null, { status: 401 }) }
    const result = checkUserinfoCors(`${ISSUER}/me`, answered, APP_ORIGIN)
    expect(result).toMatchObject({ level: 'Pass', cite: 'RFC 10017 §6.3.3.4' })
    expect(result.checked).toContain('HTTP 401')
  })

  it('fails a blocked JWKS, naming the origin to allow', () => {
    const result = checkJwksCors(`${ISSUER}/jwks`, { kind: 'blocked' }, APP_ORIGIN)
    expect(result.level).toBe('Fail')
    expect(result.advice).toContain(APP_ORIGIN)
  })

  it('warns at a blocked userinfo: some providers add CORS only for a valid token', () => {
    const result = checkUserinfoCors(`${ISSUER}/me`, { kind: 'blocked' }, APP_ORIGIN)
    expect(result.level).toBe('Warning')
    expect(result.advice).toContain('only for a valid token')
  })
})

describe('CORS at the token endpoint, from what the session saw', () => {
  it('passes a code exchange that got an answer', () => {
    const timeline = [
      entry({ step: 'code exchange', url: TOKEN, method: 'POST', status: '200 OK' }),
    ]
    const result = checkTokenEndpointCors(timeline, [TOKEN], APP_ORIGIN)
    expect(result.level).toBe('Pass')
    expect(result.checked).toContain('code exchange')
  })

  it('fails a code exchange that got no answer the page could read', () => {
    const timeline = [
      entry({ step: 'code exchange', url: TOKEN, method: 'POST', status: 'network error' }),
    ]
    const result = checkTokenEndpointCors(timeline, [TOKEN], APP_ORIGIN)
    expect(result.level).toBe('Fail')
    expect(result.advice).toContain(APP_ORIGIN)
  })

  it('passes a refresh that got an answer after an earlier network error', () => {
    const timeline = [
      entry({ step: 'refresh', url: TOKEN, status: 'network error' }),
      entry({ step: 'refresh', url: TOKEN, status: '400 Bad Request' }),
    ]
    expect(checkTokenEndpointCors(timeline, [TOKEN], APP_ORIGIN).level).toBe('Pass')
  })

  it("says not checked yet when this provider's token endpoint was never called", () => {
    const timeline = [
      entry({ step: 'code exchange', url: 'https://other.test/token', status: '200 OK' }),
    ]
    const result = checkTokenEndpointCors(timeline, [TOKEN], APP_ORIGIN)
    expect(result.level).toBe('Warning')
    expect(result.checked).toContain('not checked yet: log in once')
  })
})
