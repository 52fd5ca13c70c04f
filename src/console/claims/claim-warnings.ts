/** Why a claim deserves a second look; the signature is judged separately (`verify.ts`). */
export type ClaimWarningCode =
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'missing_exp'
  | 'bad_time'
  | 'iss_mismatch'
  | 'aud_mismatch'

/** One problem with a token's claims, as a sentence for the user. */
export interface ClaimWarning {
  code: ClaimWarningCode
  message: string
}

/** What the claims are checked against. */
export interface ClaimExpectations {
  /**
   * `id` tokens must name the client in `aud` (OIDC Core §3.1.3.7); `access` tokens may carry any
   * audience, or none (Nexus Mods); `refresh` and `other` tokens get the time checks only.
   */
  kind: 'access' | 'id' | 'refresh' | 'other'
  /** Accepted `iss` values (profile issuer, discovered issuer, known aliases); empty: unchecked. */
  issuers?: readonly string[]
  /** The profile's client id, checked against `aud` of ID tokens. */
  clientId?: string
}

/** Clock skew allowed on `exp`, `nbf` and `iat` (Nexus Mods clients allow about two minutes). */
export const CLOCK_SKEW_SECONDS = 120

/** A claim the token itself carries; never a member inherited from `Object.prototype`. */
const own = (claims: Record<string, unknown>, name: string): unknown =>
  Object.hasOwn(claims, name) ? claims[name] : undefined

// JSON.stringify gives undefined for undefined; widen its declared type to say so.
const quote = (value: unknown) => (JSON.stringify(value) as string | undefined) ?? String(value)

/**
 * The warnings a token's claims deserve at `now` (ms since the epoch), allowing `skewSeconds` of
 * clock difference. A pure function; it does not look at the signature, and a token without
 * warnings is not thereby valid.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519.html#section-4.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function claimWarnings(
  claims: Record<string, unknown>,
  expect: ClaimExpectations,
  now: number,
  skewSeconds = CLOCK_SKEW_SECONDS,
): ClaimWarning[] {
  const warnings: ClaimWarning[] = []
  const nowSeconds = now / 1000
  const time = (name: 'exp' | 'nbf' | 'iat'): number | undefined => {
    const value = own(claims, name)
    if (value === undefined) return undefined
    if (typeof value === 'number' && Number.isFinite(value)) return value
    warnings.push({
      code: 'bad_time',
      message: `"${name}" is not a number of seconds: ${quote(value)}`,
    })
    return undefined
  }

  const exp = time('exp')
  if (exp !== undefined && exp + skewSeconds <= nowSeconds) {
    warnings.push({ code: 'expired', message: 'Expired: "exp" is in the past.' })
  } else if (own(claims, 'exp') === undefined && expect.kind !== 'refresh') {
    warnings.push({ code: 'missing_exp', message: 'No "exp" claim: this token never expires.' })
  }
  const nbf = time('nbf')
  if (nbf !== undefined && nbf - skewSeconds > nowSeconds) {
    warnings.push({ code: 'not_yet_valid', message: 'Not yet valid: "nbf" is in the future.' })
  }
  const iat = time('iat')
  if (iat !== undefined && iat - skewSeconds > nowSeconds) {
    warnings.push({
      code: 'issued_in_future',
      message: `"iat" is more than ${String(skewSeconds)} seconds in the future: check this device's clock.`,
    })
  }

  const issuers = expect.issuers ?? []
  if (issuers.length > 0 && (expect.kind === 'access' || expect.kind === 'id')) {
    const iss = own(claims, 'iss')
    if (typeof iss !== 'string' || !issuers.includes(iss)) {
      warnings.push({
        code: 'iss_mismatch',
        message:
          iss === undefined
            ? `No "iss" claim; expected ${issuers.map(quote).join(' or ')}.`
            : `"iss" is ${quote(iss)}, not the profile's issuer ${issuers.map(quote).join(' or ')}.`,
      })
    }
  }

  if (expect.kind === 'id' && expect.clientId !== undefined) {
    const aud = own(claims, 'aud')
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
    if (!audiences.includes(expect.clientId)) {
      warnings.push({
        code: 'aud_mismatch',
        message: `"aud" does not contain this profile's client id ${quote(expect.clientId)}.`,
      })
    } else if (audiences.length > 1 && own(claims, 'azp') !== expect.clientId) {
      // OIDC Core §3.1.3.7 items 4 and 5: several audiences need azp naming this client.
      warnings.push({
        code: 'aud_mismatch',
        message: `"aud" names several parties and "azp" is not ${quote(expect.clientId)}.`,
      })
    }
  }
  return warnings
}
