import type { DecodedJwt, DecodeError } from './decode'

/** Why a signature was judged invalid: only ever because a key was tried and failed. */
export type InvalidCode = 'bad_signature'

/**
 * Why a signature was not checked. `alg_none` and `symmetric_alg` are refusals: an unsigned token,
 * or an HMAC algorithm that public keys must never be used for (algorithm confusion).
 */
export type NotCheckedCode =
  | 'opaque'
  | 'malformed'
  | 'alg_none'
  | 'symmetric_alg'
  | 'unsupported_alg'
  | 'no_key'
  | 'no_matching_key'
  | 'unknown_kid'
  | 'bad_key'
  | 'jwks_unreachable'
  | 'jwks_invalid'
  | 'verifier_unavailable'
  /** Signed for someone else to check: the provider itself, or the API the token is for. */
  | 'not_for_client'

/**
 * What signature verification found. `notes` say what else happened on the way (keys skipped, a
 * JWKS that could not be fetched, header parameters that were ignored). Claims are not judged
 * here: an expired token can carry a valid signature (see `claim-warnings.ts`).
 */
export type VerifyResult =
  | {
      status: 'verified'
      alg: string
      key: string
      notes: string[]
      /** Why the key itself is not to be relied on (an RSA key under 2048 bits). */
      weakKey?: string
    }
  | { status: 'invalid'; code: InvalidCode; reason: string; notes: string[] }
  | { status: 'not_checked'; code: NotCheckedCode; reason: string; notes: string[] }

/** JWS algorithms verified with public keys through WebCrypto (RFC 7518 §3, RFC 8037). */
export const SUPPORTED_ALGS: ReadonlySet<string> = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
])

/** Header parameters that point at keys chosen by whoever made the token: never trusted. */
export const UNTRUSTED_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const

/** A "not checked" result. */
export function notChecked(
  code: NotCheckedCode,
  reason: string,
  notes: string[] = [],
): VerifyResult {
  return { status: 'not_checked', code, reason, notes }
}

/**
 * Everything that can be said about a token's signature without a key or any crypto: opaque or
 * malformed tokens, `alg: none`, HMAC and unknown algorithms. `undefined` means a key is needed.
 * Kept apart from `verify.ts` so that opaque tokens never load jose.
 */
export function precheck(
  decoded: DecodedJwt | { ok: false; error: DecodeError },
): VerifyResult | undefined {
  if (!decoded.ok) {
    return decoded.error.code === 'not_a_jws'
      ? notChecked('opaque', 'opaque token')
      : notChecked('malformed', `malformed token (${decoded.error.message})`)
  }
  const alg = decoded.header.alg
  if (typeof alg !== 'string') return notChecked('malformed', 'the header has no "alg"')
  if (alg.toLowerCase() === 'none') {
    return notChecked('alg_none', 'unsigned token (alg "none"), refused')
  }
  if (/^HS\d+$/i.test(alg)) {
    return notChecked(
      'symmetric_alg',
      `${alg} needs a shared secret; refused (public keys are never used as HMAC secrets)`,
    )
  }
  if (!SUPPORTED_ALGS.has(alg)) {
    return notChecked('unsupported_alg', `the algorithm ${JSON.stringify(alg)} is not supported`)
  }
  return undefined
}

/**
 * The signature line as the UI shows it, starting with exactly `Signature verified`,
 * `Signature invalid` or `Signature not checked` (the public UI contract).
 */
export function signatureLine(result: VerifyResult): string {
  switch (result.status) {
    case 'verified':
      return result.weakKey === undefined
        ? `Signature verified with key ${result.key}`
        : `Signature verified with key ${result.key} (weak key: ${result.weakKey})`
    case 'invalid':
      return `Signature invalid: ${result.reason}`
    case 'not_checked':
      return `Signature not checked: ${result.reason}`
  }
}

/** Whether the result is a refusal the UI should flag (unsigned token or algorithm confusion). */
export function isRefusal(result: VerifyResult): boolean {
  return (
    result.status === 'not_checked' &&
    (result.code === 'alg_none' || result.code === 'symmetric_alg')
  )
}
