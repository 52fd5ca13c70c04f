import { describe, expect, it } from 'vitest'
import { checkDpop, checkPar } from '../../src/console/audit/features'
import { goodMetadata } from './audit-fixtures'

describe('the DPoP check (RFC 9449 §5.1)', () => {
  it('passes dpop_signing_alg_values_supported, naming the algorithms', () => {
    const result = checkDpop(goodMetadata())
    expect(result).toMatchObject({ level: 'Pass', cite: 'RFC 9449 §5.1' })
    expect(result.checked).toContain('"ES256", "EdDSA"')
  })

  it('warns without it: tokens are bearer tokens', () => {
    for (const value of [undefined, []]) {
      const result = checkDpop(goodMetadata({ dpop_signing_alg_values_supported: value }))
      expect(result.level).toBe('Warning')
      expect(result.checked).toContain('bearer tokens')
    }
  })
})

describe('the PAR check (RFC 9126 §5)', () => {
  it('passes a PAR endpoint, saying when it is required', () => {
    expect(checkPar(goodMetadata())).toMatchObject({ level: 'Pass', cite: 'RFC 9126 §5' })
    expect(
      checkPar(goodMetadata({ require_pushed_authorization_requests: true })).checked,
    ).toContain('and required')
  })

  it('warns without one', () => {
    expect(checkPar(goodMetadata({ pushed_authorization_request_endpoint: undefined })).level).toBe(
      'Warning',
    )
  })

  it('fails metadata that requires PAR but names no endpoint for it', () => {
    const result = checkPar(
      goodMetadata({
        pushed_authorization_request_endpoint: undefined,
        require_pushed_authorization_requests: true,
      }),
    )
    expect(result.level).toBe('Fail')
  })
})
