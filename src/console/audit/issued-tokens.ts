import { decodeJwt, type StoredTokens } from '../../core/tools'
import { duration } from './duration'
import { finding, notCheckedYet, type Finding } from './finding'

/** An access token living longer than this is a warning: a leaked one works all that time. */
export const MAX_ACCESS_TOKEN_MS = 60 * 60 * 1000

/** Observed: the access token's lifetime, from the session's own receipt time. */
export function checkAccessLifetime(tokens: StoredTokens | undefined): Finding {
  const cite = 'RFC 6819 §5.1.5.3'
  if (tokens === undefined) {
    return notCheckedYet(
      'Access token lifetime: not checked yet: log in once in this tab.',
      'Press Log in, then Audit provider again.',
      cite,
    )
  }
  if (tokens.expires_at === undefined) {
    return finding(
      'Warning',
      'Access token lifetime: unknown: the provider did not say (no expires_in).',
      'Ask the provider to send expires_in, so the app can refresh in time rather than after a refused call.',
      cite,
    )
  }
  const lifetime = tokens.expires_at - tokens.received_at
  if (tokens.expiry_capped === true || lifetime > MAX_ACCESS_TOKEN_MS) {
    return finding(
      'Warning',
      `Access token lifetime: ${tokens.expiry_capped === true ? 'over a year' : duration(lifetime)}, longer than an hour.`,
      'Ask the provider to issue access tokens of an hour or less: a leaked one works for its whole life, and the refresh token renews them.',
      cite,
    )
  }
  return finding(
    'Pass',
    `Access token lifetime: ${duration(lifetime)} (an hour or less).`,
    'Nothing to change.',
    cite,
  )
}

/** Asymmetric JWS algorithms (RFC 7518 §3.1, RFC 8037; Ed25519 and Ed448 as fully specified names): what an ID token should use. */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^ES256K$|^EdDSA$|^Ed(25519|448)$/

/**
 * Observed: the ID token's `alg`. `none` fails; a shared-secret algorithm (HS*) warns, since a
 * browser app has no secret to check it with; an asymmetric one passes. Nothing when no ID token
 * is expected (`openid` not in scope) or none was issued.
 */
export function checkIdTokenAlg(
  tokens: StoredTokens | undefined,
  expectsIdToken: boolean,
): Finding | undefined {
  const cite = 'OpenID Connect Core 1.0 §3.1.3.7, RFC 8725 §3.1'
  if (tokens === undefined) {
    return expectsIdToken
      ? notCheckedYet(
          'ID token algorithm: not checked yet: log in once in this tab.',
          'Press Log in, then Audit provider again.',
          cite,
        )
      : undefined
  }
  if (tokens.id_token === undefined) return undefined
  const decoded = decodeJwt(tokens.id_token)
  const alg = decoded.ok && typeof decoded.header.alg === 'string' ? decoded.header.alg : undefined
  if (alg === undefined || alg === 'none') {
    return finding(
      'Fail',
      `ID token algorithm: ${alg === undefined ? 'the header names none' : '"none": the ID token is not signed'}.`,
      "Ask the provider to sign ID tokens with RS256 or ES256 (the client's id_token_signed_response_alg).",
      cite,
    )
  }
  if (alg.startsWith('HS')) {
    return finding(
      'Warning',
      `ID token algorithm: ${alg}, a shared-secret algorithm that a browser app cannot check without a client secret.`,
      "Ask the provider to sign this client's ID tokens with RS256 or ES256 (id_token_signed_response_alg).",
      cite,
    )
  }
  if (!ASYMMETRIC.test(alg)) {
    return finding(
      'Warning',
      `ID token algorithm: ${JSON.stringify(alg)}, which PKCE Console does not know.`,
      'Ask the provider to sign ID tokens with RS256 or ES256.',
      cite,
    )
  }
  return finding('Pass', `ID token algorithm: ${alg}.`, 'Nothing to change.', cite)
}
