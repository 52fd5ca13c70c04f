import { finding, type Finding } from './finding'

type Jwk = Record<string, unknown>

/** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used" with RS* and PS*. */
export const MIN_RSA_BITS = 2048

/** Members that only a private or secret key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

const isObject = (value: unknown): value is Jwk =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** How the report names a key: its `kid`, else its place in the set. */
function keyName(key: Jwk, index: number): string {
  return typeof key.kid === 'string' ? JSON.stringify(key.kid) : `#${String(index + 1)} (no kid)`
}

/**
 * The bit length of an RSA modulus (`n`, base64url, big-endian), or undefined when `n` is not
 * base64url. Leading zero bits do not count.
 */
export function rsaModulusBits(n: unknown): number | undefined {
  if (typeof n !== 'string' || !/^[A-Za-z0-9_-]+$/.test(n)) return undefined
  const binary = atob(n.replaceAll('-', '+').replaceAll('_', '/'))
  let start = 0
  while (start < binary.length && binary.charCodeAt(start) === 0) start++
  if (start === binary.length) return 0
  const leading = binary.charCodeAt(start).toString(2).length
  return (binary.length - start - 1) * 8 + leading
}

/** A key in words: `"k1" (RSA 2048-bit, RS256, sig)`. */
function describe(key: Jwk, index: number): string {
  const bits = key.kty === 'RSA' ? rsaModulusBits(key.n) : undefined
  const parts = [
    typeof key.kty === 'string' ? key.kty : 'no kty',
    ...(bits !== undefined ? [`${String(bits)}-bit`] : []),
    ...(typeof key.crv === 'string' ? [key.crv] : []),
  ].join(' ')
  const alg = typeof key.alg === 'string' ? `, ${key.alg}` : ''
  const use = typeof key.use === 'string' ? `, ${key.use}` : ''
  return `${keyName(key, index)} (${parts}${alg}${use})`
}

/** RSA keys under {@link MIN_RSA_BITS}: signatures PKCE Console does not trust. */
function checkKeySizes(keys: Jwk[]): Finding {
  const cite = 'RFC 7518 §3.3'
  const weak = keys.flatMap((key, index) => {
    const bits = key.kty === 'RSA' ? rsaModulusBits(key.n) : undefined
    return bits !== undefined && bits < MIN_RSA_BITS
      ? [`${keyName(key, index)} has ${String(bits)} bits`]
      : []
  })
  if (weak.length > 0) {
    return finding(
      'Fail',
      `JWKS key sizes: RSA keys under ${String(MIN_RSA_BITS)} bits: ${weak.join('; ')}.`,
      `Ask the provider to replace them with keys of ${String(MIN_RSA_BITS)} bits or more; PKCE Console does not trust signatures made with them.`,
      cite,
    )
  }
  return finding(
    'Pass',
    `JWKS key sizes: ${keys.map(describe).join('; ')}.`,
    'Nothing to change.',
    cite,
  )
}

/** Private or symmetric key material in a document anyone may read. */
function checkPublicOnly(keys: Jwk[]): Finding {
  const cite = 'RFC 7517 §9.2'
  const leaked = keys.flatMap((key, index) => {
    const members = PRIVATE_MEMBERS.filter((member) => member in key)
    return key.kty === 'oct' || members.length > 0
      ? [
          `${keyName(key, index)}${members.length > 0 ? ` has ${members.join(', ')}` : ' is a symmetric key'}`,
        ]
      : []
  })
  if (leaked.length > 0) {
    return finding(
      'Fail',
      `JWKS contents: private or secret key material is published: ${leaked.join('; ')}.`,
      'Ask the provider to remove it and replace those keys at once: anyone who reads the JWKS can sign tokens with them.',
      cite,
    )
  }
  return finding('Pass', 'JWKS contents: public keys only.', 'Nothing to change.', cite)
}

/** Algorithms a key may name that a public JWKS must not offer, or should not. */
function checkAlgorithms(keys: Jwk[]): Finding {
  const cite = 'RFC 8725 §3.1, §3.2'
  const algs = keys.map((key) => (typeof key.alg === 'string' ? key.alg : undefined))
  const refused = keys.flatMap((key, index) => {
    const alg = algs[index]
    return alg === 'none' || alg?.startsWith('HS') === true
      ? [`${keyName(key, index)}: ${alg}`]
      : []
  })
  if (refused.length > 0) {
    return finding(
      'Fail',
      `JWKS algorithms: keys for "none" or a shared-secret algorithm: ${refused.join('; ')}.`,
      'Ask the provider to sign with an asymmetric algorithm (RS256, PS256, ES256, EdDSA) and list only those keys.',
      cite,
    )
  }
  const stated = [...new Set(algs.filter((alg) => alg !== undefined))]
  if (stated.includes('RSA1_5')) {
    return finding(
      'Warning',
      'JWKS algorithms: a key is for RSA1_5 (RSA PKCS #1 v1.5 encryption), which is open to padding-oracle attacks.',
      'Ask the provider to use RSA-OAEP or ECDH-ES for encryption keys.',
      cite,
    )
  }
  return finding(
    'Pass',
    stated.length > 0
      ? `JWKS algorithms: ${stated.join(', ')}${stated.length < keys.length ? ' (other keys state none)' : ''}.`
      : 'JWKS algorithms: no key states one (the token header names it, checked against an allow-list).',
    'Nothing to change.',
    cite,
  )
}

/**
 * `use`: required on every key when the set holds both signing and encryption keys (OpenID
 * Connect Discovery §3); a value other than `sig` or `enc` is unknown (RFC 7517 §4.2).
 */
function checkUse(keys: Jwk[]): Finding {
  const cite = 'RFC 7517 §4.2, OpenID Connect Discovery 1.0 §3'
  const unknown = keys.flatMap((key, index) =>
    key.use !== undefined && key.use !== 'sig' && key.use !== 'enc'
      ? [`${keyName(key, index)}: ${JSON.stringify(key.use)}`]
      : [],
  )
  const hasEnc = keys.some((key) => key.use === 'enc')
  const without = keys.flatMap((key, index) => (key.use === undefined ? [keyName(key, index)] : []))
  if (unknown.length > 0 || (hasEnc && without.length > 0)) {
    const problems = [
      ...(unknown.length > 0 ? [`unknown use ${unknown.join('; ')}`] : []),
      ...(hasEnc && without.length > 0
        ? [`encryption keys are listed, yet ${without.join(', ')} state no use`]
        : []),
    ]
    return finding(
      'Warning',
      `JWKS key use: ${problems.join('; ')}.`,
      'Ask the provider to mark every key "use": "sig" or "enc", so a signing key is never taken for an encryption key.',
      cite,
    )
  }
  return finding(
    'Pass',
    without.length === 0
      ? 'JWKS key use: every key states its use.'
      : 'JWKS key use: signing keys only (a use is needed only when encryption keys are listed too).',
    'Nothing to change.',
    cite,
  )
}

/** Among several keys, each needs a `kid` for a token's header to pick it. */
function checkKids(keys: Jwk[]): Finding | undefined {
  if (keys.length < 2) return undefined
  const cite = 'RFC 7517 §4.5, OpenID Connect Core 1.0 §10.1'
  const without = keys.filter((key) => typeof key.kid !== 'string').length
  if (without > 0) {
    return finding(
      'Warning',
      `JWKS key ids: ${String(without)} of ${String(keys.length)} keys have no kid, so a client cannot tell which one signed a token.`,
      'Ask the provider to give every key a kid and to name it in the token header.',
      cite,
    )
  }
  return finding(
    'Pass',
    `JWKS key ids: each of the ${String(keys.length)} keys has a kid.`,
    'Nothing to change.',
    cite,
  )
}

/**
 * The checks of a JWK Set as fetched from `jwks_uri` (`status`: the HTTP status; `body`: the
 * parsed JSON, or undefined when the answer was not JSON): key sizes, private material,
 * algorithms, `use`, `kid`.
 */
export function jwksFindings(url: string, status: number, body: unknown): Finding[] {
  if (status < 200 || status > 299) {
    return [
      finding(
        'Fail',
        `JWKS: ${url} answered HTTP ${String(status)}.`,
        'Check the jwks_uri; ID token signatures cannot be checked without the keys.',
        'RFC 7517 §5',
      ),
    ]
  }
  if (!isObject(body) || !Array.isArray(body.keys)) {
    return [
      finding(
        'Fail',
        `JWKS: ${url} is not a JWK Set (no "keys" list).`,
        'Check the jwks_uri; ID token signatures cannot be checked without the keys.',
        'RFC 7517 §5',
      ),
    ]
  }
  const keys = body.keys.filter(isObject)
  if (keys.length === 0) {
    return [
      finding(
        'Fail',
        `JWKS: ${url} lists no keys.`,
        'Ask the provider to publish the keys it signs ID tokens with.',
        'RFC 7517 §5, OpenID Connect Core 1.0 §10.1',
      ),
    ]
  }
  const kids = checkKids(keys)
  return [
    checkKeySizes(keys),
    checkPublicOnly(keys),
    checkAlgorithms(keys),
    checkUse(keys),
    ...(kids !== undefined ? [kids] : []),
  ]
}
