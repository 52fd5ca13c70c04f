import { describe, expect, it } from 'vitest'
import {
  checkImplicit,
  checkPasswordGrant,
  checkPkceMethods,
  checkPublicClientAuth,
  flowFindings,
} from '../../src/console/audit/flows'
import { goodMetadata } from './audit-fixtures'

describe('the PKCE check', () => {
  it('passes S256 in code_challenge_methods_supported, citing RFC 9700 §2.1.1', () => {
    const result = checkPkceMethods(goodMetadata())
    expect(result.level).toBe('Pass')
    expect(result.cite).toBe('RFC 9700 §2.1.1, RFC 10017 §6.3.2.1')
    expect(result.advice).toBe('Nothing to change.')
  })

  it('fails a list without S256, naming what it lists', () => {
    const result = checkPkceMethods(goodMetadata({ code_challenge_methods_supported: ['plain'] }))
    expect(result.level).toBe('Fail')
    expect(result.checked).toContain('"plain" without S256')
  })

  it('warns when the metadata does not say, since a client cannot tell', () => {
    const result = checkPkceMethods(goodMetadata({ code_challenge_methods_supported: undefined }))
    expect(result.level).toBe('Warning')
    expect(result.checked).toContain('no code_challenge_methods_supported')
  })

  it('passes S256 beside plain, advising to drop plain (downgrade)', () => {
    const result = checkPkceMethods(
      goodMetadata({ code_challenge_methods_supported: ['plain', 'S256'] }),
    )
    expect(result.level).toBe('Pass')
    expect(result.advice).toContain('RFC 9700 §4.8')
  })
})

describe('the public client check', () => {
  it('passes "none" among token_endpoint_auth_methods_supported (RFC 10017 §6.3.3.1)', () => {
    const result = checkPublicClientAuth(goodMetadata())
    expect(result).toMatchObject({ level: 'Pass', cite: 'RFC 10017 §6.3.3.1' })
  })

  it('fails a list of secret-based methods only', () => {
    const result = checkPublicClientAuth(
      goodMetadata({ token_endpoint_auth_methods_supported: ['client_secret_basic'] }),
    )
    expect(result.level).toBe('Fail')
    expect(result.checked).toContain('"client_secret_basic" but not "none"')
  })

  it('warns without a list, whose RFC 8414 default is client_secret_basic', () => {
    const result = checkPublicClientAuth(
      goodMetadata({ token_endpoint_auth_methods_supported: undefined }),
    )
    expect(result.level).toBe('Warning')
    expect(result.cite).toContain('RFC 8414 §2')
  })
})

describe('the implicit grant check', () => {
  it('passes the code flow alone', () => {
    expect(checkImplicit(goodMetadata()).level).toBe('Pass')
  })

  it('warns about a response type that returns an access token (RFC 9700 §2.1.2)', () => {
    const result = checkImplicit(
      goodMetadata({ response_types_supported: ['code', 'id_token token', 'id_token'] }),
    )
    expect(result).toMatchObject({ level: 'Warning', cite: 'RFC 9700 §2.1.2' })
    expect(result.checked).toContain('"id_token token"')
    expect(result.checked).not.toContain('"id_token",')
  })

  it('warns about "implicit" among the grant types', () => {
    const result = checkImplicit(
      goodMetadata({ grant_types_supported: ['authorization_code', 'implicit'] }),
    )
    expect(result.level).toBe('Warning')
    expect(result.checked).toContain('grant_types_supported lists "implicit"')
  })

  it('does not take an ID-token-only response type for one that issues access tokens', () => {
    expect(
      checkImplicit(goodMetadata({ response_types_supported: ['code', 'id_token'] })).level,
    ).toBe('Pass')
  })
})

describe('the password grant check', () => {
  it('fails "password" among the grant types (RFC 9700 §2.4)', () => {
    const result = checkPasswordGrant(
      goodMetadata({ grant_types_supported: ['authorization_code', 'password'] }),
    )
    expect(result).toMatchObject({ level: 'Fail', cite: 'RFC 9700 §2.4' })
  })

  it('passes when it is not listed, or there is no list', () => {
    expect(checkPasswordGrant(goodMetadata()).level).toBe('Pass')
    expect(checkPasswordGrant(goodMetadata({ grant_types_supported: undefined })).level).toBe(
      'Pass',
    )
  })
})

it('finds nothing to fail or warn about in well-set metadata', () => {
  expect(flowFindings(goodMetadata()).map((f) => f.level)).toEqual(['Pass', 'Pass', 'Pass', 'Pass'])
})
