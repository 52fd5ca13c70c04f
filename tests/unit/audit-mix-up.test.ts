import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import {
  callbackParameters,
  checkCallbackIss,
  checkIssParameter,
  checkIssuer,
  lastCallback,
  refusedMetadata,
} from '../../src/console/audit/mix-up'
import { discover } from '../../src/core/protocol/discovery'
import { AppError } from '../../src/core/protocol/errors'
import { entry, goodMetadata, ISSUER } from './audit-fixtures'
import { json, scriptedFetch } from './fake-fetch'

describe('the issuer check (RFC 8414 §3.3)', () => {
  it('passes metadata naming exactly the issuer asked for', () => {
    expect(checkIssuer(ISSUER, ISSUER)).toMatchObject({ level: 'Pass', cite: 'RFC 8414 §3.3' })
  })

  it('fails another issuer, and says which to set', () => {
    const result = checkIssuer(`${ISSUER}/`, ISSUER)
    expect(result.level).toBe('Fail')
    expect(result.checked).toContain(`"${ISSUER}", not ${ISSUER}/`)
    expect(result.advice).toContain(`set the profile's Issuer to exactly that`)
  })

  it("reads the issuer the refused metadata named from discovery's refusal", async () => {
    const server = scriptedFetch([
      {
        method: 'GET',
        url: `${ISSUER}/.well-known/openid-configuration`,
        answer: () =>
          json(goodMetadata({ issuer: 'https://other.test', grant_types_supported: ['password'] })),
      },
    ])
    const refusal: unknown = await discover(ISSUER, server.fetch).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(AppError)
    const refused = refusedMetadata(refusal)
    expect(refused?.issuer).toBe('https://other.test')
    expect(refused?.grant_types_supported).toEqual(['password'])
    server.done()
  })

  it('reads nothing from any other error', () => {
    expect(refusedMetadata(new AppError('discovery_failed', 'm'))).toBeUndefined()
    expect(
      refusedMetadata(
        new AppError('issuer_mismatch', 'm', {
          cause: new oauth.OperationProcessingError('x'),
        }),
      ),
    ).toBeUndefined()
  })
})

describe('the iss parameter check', () => {
  it('passes authorization_response_iss_parameter_supported (RFC 9207, RFC 9700 §4.4)', () => {
    expect(checkIssParameter(goodMetadata())).toMatchObject({
      level: 'Pass',
      cite: 'RFC 9207 §3, RFC 9700 §4.4',
    })
  })

  it('warns when the metadata does not promise iss', () => {
    const result = checkIssParameter(
      goodMetadata({ authorization_response_iss_parameter_supported: undefined }),
    )
    expect(result.level).toBe('Warning')
    expect(result.checked).toContain('does not set authorization_response_iss_parameter_supported')
  })
})

describe('iss on the callback, as observed', () => {
  const redirect = entry({ step: 'authorize redirect', url: `${ISSUER}/auth`, method: 'GET' })
  const withIss = entry({ step: 'callback', note: 'parameters: code, state, iss' })

  it('reads the parameter names from the callback entry', () => {
    expect(callbackParameters(withIss)).toEqual(['code', 'state', 'iss'])
    expect(callbackParameters(entry({ step: 'callback' }))).toEqual([])
  })

  it("passes a callback that carried iss, naming this tab's parameters", () => {
    const result = checkCallbackIss(withIss, true)
    expect(result).toMatchObject({ level: 'Pass', cite: 'RFC 9207 §2, RFC 9700 §4.4' })
    expect(result.checked).toContain('code, state, iss')
  })

  it('fails a callback without iss when the metadata promised it, and warns otherwise', () => {
    const without = entry({ step: 'callback', note: 'parameters: code, state' })
    expect(checkCallbackIss(without, true).level).toBe('Fail')
    expect(checkCallbackIss(without, false).level).toBe('Warning')
  })

  it('says "not checked yet" before any login in this tab', () => {
    const result = checkCallbackIss(undefined, true)
    expect(result.level).toBe('Warning')
    expect(result.checked).toContain('not checked yet: log in once')
  })

  it("takes the callback that followed this provider's authorize redirect, not another's", () => {
    const other = entry({ step: 'authorize redirect', url: 'https://other.test/auth' })
    const otherCallback = entry({ step: 'callback', note: 'parameters: code, state' })
    expect(lastCallback([redirect, withIss, other, otherCallback], `${ISSUER}/auth`)).toBe(withIss)
    expect(lastCallback([other, otherCallback], `${ISSUER}/auth`)).toBeUndefined()
  })
})
