import { describe, expect, it } from 'vitest'
import { dpopBinding } from '../../src/console/dpop-binding'

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (payload: object) => `${part({ alg: 'ES256', typ: 'at+jwt' })}.${part(payload)}.sig`

describe("the access token region's DPoP line", () => {
  it('says nothing for a session without DPoP', () => {
    expect(dpopBinding(undefined, jwt({ cnf: { jkt: 'abc' } }))).toBeUndefined()
  })

  it("names the key when the token's cnf.jkt is its thumbprint", () => {
    expect(dpopBinding('abc', jwt({ cnf: { jkt: 'abc' } }))).toEqual({
      text: 'Bound to DPoP key abc',
      matches: true,
    })
  })

  it('says so when the token is bound to another key', () => {
    const binding = dpopBinding('abc', jwt({ cnf: { jkt: 'xyz' } }))
    expect(binding?.matches).toBe(false)
    expect(binding?.text).toMatch(
      /^Bound to DPoP key abc, but the token's cnf\.jkt \(xyz\) differs/,
    )
  })

  it('cannot compare an opaque token, nor one without cnf.jkt', () => {
    expect(dpopBinding('abc', 'opaque-token')?.matches).toBeUndefined()
    expect(dpopBinding('abc', jwt({ cnf: {} }))?.text).toMatch(/no cnf\.jkt/)
    expect(dpopBinding('abc', jwt({ cnf: 'abc' }))?.matches).toBeUndefined()
  })
})
