import {
  calculateJwkThumbprint,
  importJWK,
  importSPKI,
  importX509,
  type CryptoKey,
  type JWK,
} from 'jose'

/** A key to try a signature with, as the verification result will name it. */
export interface Candidate {
  label: string
  /** The JWK's `kid`; PEM keys have none. */
  kid?: string
  load(alg: string): Promise<CryptoKey | Uint8Array>
}

/**
 * The public members of each asymmetric key type (RFC 7518 §6); private ones are dropped. A `Map`:
 * `kty` comes from the pasted key or the JWKS, and `"constructor"` must not find a function.
 */
const PUBLIC_MEMBERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['RSA', ['n', 'e']],
  ['EC', ['crv', 'x', 'y']],
  ['OKP', ['crv', 'x']],
])

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** "PEM sha256:0a1b…": the SHA-256 of the DER (SPKI or certificate), first 8 bytes in hex. */
export async function pemLabel(pem: string): Promise<string> {
  const kind = pem.includes('CERTIFICATE') ? 'certificate' : 'PEM'
  try {
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
    const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der))
    return `${kind} sha256:${hex(digest.slice(0, 8))}`
  } catch {
    return `${kind} (unreadable)`
  }
}

/** A PEM (SPKI or certificate) as a candidate, imported for the token's `alg` when tried. */
export function pemCandidate(pem: string, label: string): Candidate {
  return {
    label,
    load: (alg) => (pem.includes('CERTIFICATE') ? importX509(pem, alg) : importSPKI(pem, alg)),
  }
}

/** Why a JWK cannot verify a token signed with `alg`, or `undefined` when it may. */
export function jwkMismatch(jwk: Record<string, unknown>, alg: string): string | undefined {
  if (typeof jwk.kty !== 'string' || !PUBLIC_MEMBERS.has(jwk.kty)) {
    return `key type ${JSON.stringify(jwk.kty)} is not a public-key type`
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') return `its "use" is ${JSON.stringify(jwk.use)}`
  if (jwk.alg !== undefined && jwk.alg !== alg) return `it is for ${JSON.stringify(jwk.alg)}`
  return undefined
}

/** A JWK as a candidate: only its public members, labelled by `kid` or thumbprint. */
export async function jwkCandidate(jwk: Record<string, unknown>): Promise<Candidate> {
  const members = PUBLIC_MEMBERS.get(String(jwk.kty)) ?? []
  const picked: Record<string, string> = { kty: String(jwk.kty) }
  for (const name of members) {
    const value = Object.hasOwn(jwk, name) ? jwk[name] : undefined
    if (typeof value === 'string') picked[name] = value
  }
  // Only the public members: a pasted private JWK still verifies, and key_ops cannot get in the way.
  const publicJwk = picked as JWK
  let label: string
  if (typeof jwk.kid === 'string' && jwk.kid !== '') label = jwk.kid.slice(0, 100)
  else {
    try {
      label = `JWK thumbprint ${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}`
    } catch {
      label = 'JWK (unreadable)'
    }
  }
  return {
    label,
    ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}),
    load: (alg) => importJWK(publicJwk, alg),
  }
}
