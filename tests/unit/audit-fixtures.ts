import type * as oauth from 'oauth4webapi'
import { initialState, type SessionState } from '../../src/console/state'
import type { TimelineEntry } from '../../src/core/record'
import type { Tokens } from '../../src/core'

export const ISSUER = 'https://id.audit.test'

/** Metadata of a provider set up well for a browser app (what oidc-provider publishes, trimmed). */
export function goodMetadata(
  overrides: Partial<oauth.AuthorizationServer> = {},
): oauth.AuthorizationServer {
  return {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/auth`,
    token_endpoint: `${ISSUER}/token`,
    userinfo_endpoint: `${ISSUER}/me`,
    jwks_uri: `${ISSUER}/jwks`,
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    authorization_response_iss_parameter_supported: true,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    dpop_signing_alg_values_supported: ['ES256', 'EdDSA'],
    pushed_authorization_request_endpoint: `${ISSUER}/request`,
    ...overrides,
  }
}

/** A base64url RSA modulus of exactly `bits` bits (top bit set). */
export function modulus(bits: number): string {
  const bytes = new Uint8Array(Math.ceil(bits / 8)).fill(0xab)
  const topBits = bits % 8 === 0 ? 8 : bits % 8
  bytes[0] = (1 << (topBits - 1)) | 1
  return Buffer.from(bytes).toString('base64url')
}

/** An RSA signing key as a JWKS lists it. */
export function rsaKey(bits: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kty: 'RSA',
    n: modulus(bits),
    e: 'AQAB',
    alg: 'RS256',
    use: 'sig',
    kid: `rsa-${String(bits)}`,
    ...extra,
  }
}

/** A JWT-shaped string with this header (nothing is signed). */
export function jwtWith(
  header: Record<string, unknown>,
  payload: Record<string, unknown> = {},
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part(header)}.${part(payload)}.c2ln`
}

/** Stored tokens received at `at`, living `lifetimeS` seconds. */
export function tokens(at: number, lifetimeS: number, extra: Partial<Tokens> = {}): Tokens {
  return {
    access_token: `access-${String(at)}`,
    token_type: 'Bearer',
    expires_at: at + lifetimeS * 1000,
    received_at: at,
    ...extra,
  }
}

let entryId = 0
/** A timeline entry with a fresh id. */
export function entry(fields: Omit<TimelineEntry, 'id' | 'at'> & { at?: number }): TimelineEntry {
  entryId += 1
  return { at: entryId, ...fields, id: entryId }
}

/** A session state with the given fields on top of the initial one. */
export function stateWith(patch: Partial<SessionState>): SessionState {
  return { ...initialState(), ready: true, ...patch }
}
