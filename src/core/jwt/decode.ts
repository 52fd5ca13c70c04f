/** Why a string could not be decoded as a JWT. */
export type DecodeErrorCode =
  | 'not_a_string'
  | 'too_large'
  | 'not_a_jws'
  | 'bad_base64url'
  | 'bad_json'
  | 'not_an_object'
  | 'too_deep'

/** A decoding failure; `part` is 1 for the header and 2 for the payload. */
export interface DecodeError {
  code: DecodeErrorCode
  message: string
  part?: 1 | 2
}

/** A JWT split into its parts. Nothing here is verified. */
export interface DecodedJwt {
  ok: true
  header: Record<string, unknown>
  payload: Record<string, unknown>
  /** The three encoded segments as received. */
  segments: [string, string, string]
}

/** Tokens beyond this are refused before any parsing, so a hostile paste cannot hang the page. */
export const MAX_TOKEN_LENGTH = 64 * 1024

/** Deeper JSON is refused: printing it (JSON.stringify) would overflow the call stack. */
export const MAX_JSON_DEPTH = 64

const BASE64URL = /^[A-Za-z0-9_-]*$/

/** The deepest nesting of objects and arrays in JSON text, counting only outside strings. */
function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth)
    else if (c === '}' || c === ']') depth--
  }
  return deepest
}

type SegmentResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; error: DecodeError }

function decodeSegment(segment: string, part: 1 | 2): SegmentResult {
  const fail = (code: DecodeErrorCode, message: string): SegmentResult => ({
    ok: false,
    error: { code, message: `${message} in part #${String(part)}`, part },
  })
  if (!BASE64URL.test(segment) || segment.length % 4 === 1)
    return fail('bad_base64url', 'invalid base64url')
  let text: string
  try {
    const base64 = segment.replace(/-/g, '+').replace(/_/g, '/')
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return fail('bad_base64url', 'invalid base64url or UTF-8')
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    return fail('too_deep', `nested deeper than ${String(MAX_JSON_DEPTH)} levels`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return fail('bad_json', 'not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('not_an_object', 'not a JSON object')
  }
  return { ok: true, value: value as Record<string, unknown> }
}

/**
 * Splits a compact JWS into header and claims for display. This does **not** validate the
 * signature or any claim; see `verify.ts` for that. Never throws: bad input gives a typed error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519.html#section-7.2
 */
export function decodeJwt(token: unknown): DecodedJwt | { ok: false; error: DecodeError } {
  if (typeof token !== 'string') {
    return { ok: false, error: { code: 'not_a_string', message: 'the token is not a string' } }
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    const limit = String(MAX_TOKEN_LENGTH)
    return {
      ok: false,
      error: { code: 'too_large', message: `the token is longer than ${limit} characters` },
    }
  }
  const segments = token.trim().split('.')
  if (segments.length !== 3) {
    const message =
      segments.length === 5
        ? 'the token is encrypted (JWE); it cannot be read here'
        : 'the token is not a JWT (it needs three dot-separated parts)'
    return { ok: false, error: { code: 'not_a_jws', message } }
  }
  const [h, p, s] = segments as [string, string, string]
  const header = decodeSegment(h, 1)
  if (!header.ok) return header
  const payload = decodeSegment(p, 2)
  if (!payload.ok) return payload
  return { ok: true, header: header.value, payload: payload.value, segments: [h, p, s] }
}
