import { compactVerify, errors, type CryptoKey } from 'jose'
import { jwkCandidate, jwkMismatch, pemCandidate, pemLabel, type Candidate } from './candidates'
import { decodeJwt } from './decode'
import { jwksKeys, type JwksCache, type JwksEntry } from './jwks'
import type { KeySource } from './key-input'
import { notChecked, precheck, UNTRUSTED_HEADERS, type VerifyResult } from './signature'

/** What verification needs from the outside world. */
export interface VerifyOptions {
  /** Used only for the JWKS URLs among the key sources. */
  fetch: typeof fetch
  /** Milliseconds since the epoch, for the JWKS cache. */
  now: number
  /** Fetched JWK Sets; a fresh map when not given. */
  jwksCache?: JwksCache
}

/** RFC 7518 §3.3 and §3.5: RSA keys for RS* and PS* must be at least this long. */
const MIN_RSA_BITS = 2048
/** Shorter RSA keys can be factored cheaply: a signature by one proves nothing, so it is skipped. */
const FLOOR_RSA_BITS = 1024

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))
const fromBase64url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

/** The modulus length of an RSA key under {@link MIN_RSA_BITS}, which jose refuses to use. */
function weakRsaBits(key: CryptoKey | Uint8Array): number | undefined {
  if (key instanceof Uint8Array) return undefined
  const bits = (key.algorithm as Partial<RsaHashedKeyAlgorithm>).modulusLength
  return typeof bits === 'number' && bits < MIN_RSA_BITS ? bits : undefined
}

/**
 * Verifies RS* or PS* with a short RSA key through WebCrypto directly, which (unlike jose) allows
 * it: the Nexus Mods guide publishes a 1024-bit key. `key` was imported by jose for `alg`, so its
 * algorithm and hash already match the header's. A `crit` header is not understood here and fails
 * the check (RFC 7515 §4.1.11).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518.html#section-3.3
 */
async function verifyWeakRsa(
  segments: readonly [string, string, string],
  header: Record<string, unknown>,
  key: CryptoKey,
  alg: string,
): Promise<boolean> {
  if (Object.hasOwn(header, 'crit')) throw new Error('the "crit" header is not supported')
  const [h, p, s] = segments
  const params: AlgorithmIdentifier | RsaPssParams = alg.startsWith('PS')
    ? { name: 'RSA-PSS', saltLength: Number(alg.slice(2)) / 8 }
    : { name: 'RSASSA-PKCS1-v1_5' }
  return crypto.subtle.verify(params, key, fromBase64url(s), new TextEncoder().encode(`${h}.${p}`))
}

/**
 * Verifies a compact JWS signature with the given keys, trying each: PEM (SPKI or certificate),
 * JWKs, and JWK Sets (inline or fetched with `options.fetch`). Says which key verified it, that
 * none did, or why it was not checked.
 *
 * This does **not** validate claims: an expired token can carry a valid signature (see
 * `claim-warnings.ts`). `alg: none` and HMAC algorithms are refused, and keys named by the token's
 * own header (`jwk`, `jku`, `x5u`, `x5c`) are never used. Never throws.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515.html#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc8725.html#section-3.1
 */
export async function verifyJwt(
  token: string,
  sources: readonly KeySource[],
  options: VerifyOptions,
): Promise<VerifyResult> {
  const decoded = decodeJwt(token)
  const early = precheck(decoded)
  if (early !== undefined) return early
  if (!decoded.ok) return notChecked('malformed', 'malformed token')
  const alg = String(decoded.header.alg)
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined
  const notes = UNTRUSTED_HEADERS.filter((name) => Object.hasOwn(decoded.header, name)).map(
    (name) =>
      `the header's "${name}" was ignored: keys come only from the profile or the Key field`,
  )
  if (sources.length === 0) {
    return notChecked('no_key', 'no key to check it with', notes)
  }

  const cache = options.jwksCache ?? new Map<string, JwksEntry>()
  const candidates: Candidate[] = []
  const skipped: string[] = []
  let jwksFailure: { code: 'jwks_unreachable' | 'jwks_invalid'; message: string } | undefined
  let unknownKid: { refetched: boolean } | undefined

  const addSet = async (keys: Record<string, unknown>[], refetched: boolean) => {
    // RFC 7515 §4.1.4: with a kid, only keys of that kid (or without one) are candidates.
    const usable = keys.filter(
      (jwk) => kid === undefined || jwk.kid === undefined || jwk.kid === kid,
    )
    if (usable.length === 0 && keys.length > 0) unknownKid = { refetched }
    for (const jwk of usable) {
      const mismatch = jwkMismatch(jwk, alg)
      const candidate = await jwkCandidate(jwk)
      if (mismatch === undefined) candidates.push(candidate)
      else skipped.push(`key ${candidate.label} skipped: ${mismatch}`)
    }
  }

  for (const source of sources) {
    if (source.kind === 'pem') candidates.push(pemCandidate(source.pem, await pemLabel(source.pem)))
    else if (source.kind === 'jwk') await addSet([source.jwk], false)
    else if (source.kind === 'jwks') await addSet(source.keys, false)
    else {
      const result = await jwksKeys(source.url, kid, {
        fetch: options.fetch,
        now: options.now,
        cache,
      })
      if (result.ok) await addSet(result.keys, result.refetched)
      else {
        jwksFailure = { code: result.code, message: result.message }
        notes.push(result.message)
      }
    }
  }

  /** Keys that were used and did not verify the signature. */
  const failed: Candidate[] = []
  for (const candidate of candidates) {
    try {
      const key = await candidate.load(alg)
      const bits = weakRsaBits(key)
      if (bits !== undefined && !(key instanceof Uint8Array)) {
        if (bits < FLOOR_RSA_BITS) throw new Error(`a ${String(bits)}-bit RSA key proves nothing`)
        if (!(await verifyWeakRsa(decoded.segments, decoded.header, key, alg))) {
          failed.push(candidate)
          continue
        }
        const section = alg.startsWith('PS') ? '3.5' : '3.3'
        const weakKey = `${String(bits)}-bit RSA, under the ${String(MIN_RSA_BITS)} bits RFC 7518 §${section} requires`
        return { status: 'verified', alg, key: candidate.label, notes, weakKey }
      }
      await compactVerify(token.trim(), key, { algorithms: [alg] })
      return { status: 'verified', alg, key: candidate.label, notes }
    } catch (cause) {
      if (cause instanceof errors.JWSSignatureVerificationFailed) failed.push(candidate)
      else skipped.push(`key ${candidate.label} skipped: ${messageOf(cause)}`)
    }
  }

  const allNotes = [...notes, ...skipped]
  const tried = failed.map((candidate) => candidate.label)
  if (
    unknownKid !== undefined &&
    kid !== undefined &&
    !failed.some((candidate) => candidate.kid === kid)
  ) {
    // No key of this kid exists, so nothing says the signature is bad: Nexus Mods may sign access
    // tokens with a key its JWKS does not list. "Invalid" is kept for a key found that failed;
    // keys without a kid (a PEM) that failed are only mentioned.
    const again = unknownKid.refetched ? ' (the JWKS was fetched again once)' : ''
    const others =
      tried.length > 0 ? [`keys without a kid did not verify it: ${tried.join(', ')}`] : []
    return notChecked(
      'unknown_kid',
      `the provider publishes no key with kid ${JSON.stringify(kid)}${again}`,
      [...allNotes, ...others],
    )
  }
  if (tried.length > 0) {
    return {
      status: 'invalid',
      code: 'bad_signature',
      reason: `no key verified it (tried ${tried.join(', ')})`,
      notes: allNotes,
    }
  }
  const failure = jwksFailure
  if (failure !== undefined) {
    return notChecked(
      failure.code,
      failure.message,
      allNotes.filter((note) => note !== failure.message),
    )
  }
  return notChecked('no_matching_key', `none of the keys can verify ${alg}`, allNotes)
}
