import { endpointProblem } from '../profile/url-rule'

/** Where a verification key comes from. Keys inside a token's header are never a source. */
export type KeySource =
  | { kind: 'pem'; pem: string }
  | { kind: 'jwk'; jwk: Record<string, unknown> }
  | { kind: 'jwks'; keys: Record<string, unknown>[] }
  | { kind: 'jwks_uri'; url: string }

/** Why the Decoder's key field could not be read. */
export type KeyInputErrorCode = 'bad_key_json' | 'bad_key_url' | 'unknown_key_format'

/** The Decoder's key field, read into key sources, or why it could not be. */
export type KeyInputResult =
  { ok: true; sources: KeySource[] } | { ok: false; code: KeyInputErrorCode; message: string }

const PEM_BLOCK = /-----BEGIN (PUBLIC KEY|CERTIFICATE)-----[\s\S]*?-----END \1-----/g

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON value as key sources: a JWKS (`{"keys": [...]}`), one JWK, or a list of JWKs. */
function jsonSources(value: unknown): KeySource[] | undefined {
  if (isObject(value) && Array.isArray(value.keys)) {
    return [{ kind: 'jwks', keys: value.keys.filter(isObject) }]
  }
  if (isObject(value) && typeof value.kty === 'string') return [{ kind: 'jwk', jwk: value }]
  if (Array.isArray(value) && value.every(isObject)) {
    return value.map((jwk) => ({ kind: 'jwk', jwk }))
  }
  return undefined
}

/**
 * Reads what a user pasted as a key: PEM (SPKI `PUBLIC KEY` or `CERTIFICATE` blocks), a JWK, a
 * JWKS, or the URL of a JWKS (`https:`, or `http:` on loopback). Empty text means no key.
 */
export function parseKeyInput(text: string): KeyInputResult {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: true, sources: [] }
  if (trimmed.startsWith('-----BEGIN')) {
    const blocks = trimmed.match(PEM_BLOCK) ?? []
    if (blocks.length > 0) return { ok: true, sources: blocks.map((pem) => ({ kind: 'pem', pem })) }
    return {
      ok: false,
      code: 'unknown_key_format',
      message: 'the PEM needs a complete PUBLIC KEY or CERTIFICATE block',
    }
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch {
      return { ok: false, code: 'bad_key_json', message: 'the key is not valid JSON' }
    }
    const sources = jsonSources(value)
    if (sources !== undefined) return { ok: true, sources }
    return {
      ok: false,
      code: 'bad_key_json',
      message: 'the JSON is neither a JWK (with "kty") nor a JWKS (with "keys")',
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    const problem = endpointProblem(trimmed)
    if (problem !== undefined)
      return { ok: false, code: 'bad_key_url', message: `the JWKS URL ${problem}` }
    return { ok: true, sources: [{ kind: 'jwks_uri', url: trimmed }] }
  }
  return {
    ok: false,
    code: 'unknown_key_format',
    message: 'the key is not PEM, a JWK, a JWKS or a JWKS URL',
  }
}

/**
 * A profile's key sources: its `verification_keys` (PEM strings or JWK objects) first, then the
 * JWKS at `jwksUri` (discovered or configured), so every key is tried.
 */
export function profileKeySources(
  keys: readonly (string | Record<string, unknown>)[] | undefined,
  jwksUri: string | undefined,
): KeySource[] {
  const sources: KeySource[] = []
  for (const key of keys ?? []) {
    if (typeof key === 'string') {
      const parsed = parseKeyInput(key)
      // An unreadable PEM stays a source, so the verifier can say it could not be read.
      sources.push(
        ...(parsed.ok && parsed.sources.length > 0
          ? parsed.sources
          : [{ kind: 'pem' as const, pem: key }]),
      )
    } else {
      sources.push(...(jsonSources(key) ?? [{ kind: 'jwk' as const, jwk: key }]))
    }
  }
  if (jwksUri !== undefined) sources.push({ kind: 'jwks_uri', url: jwksUri })
  return sources
}
