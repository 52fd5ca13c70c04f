import {
  type Profile,
  type KeyValueStore,
  decodeJwt,
  type JwksCache,
  parseKeyInput,
  profileKeySources,
  type KeySource,
  notChecked,
  precheck,
  type VerifyResult,
  resolveEndpoints,
  type DiscoveryMemory,
  verifyJwt,
} from '../core/tools'
import { claimWarnings, type ClaimExpectations, type ClaimWarning } from './claims/claim-warnings'

type Decoded = ReturnType<typeof decodeJwt>

/** Which token of a session is inspected. */
export type TokenKind = 'access' | 'id' | 'refresh'

/** What the inspector shows about a token besides its decoded claims. */
export interface Inspection {
  signature: VerifyResult
  /** Claim problems at the time of inspection; empty for opaque tokens. */
  warnings: ClaimWarning[]
}

/** What inspection needs from the session. */
export interface InspectContext {
  fetch: typeof fetch
  now: number
  store: KeyValueStore
  jwksCache: JwksCache
  /** The session's discoveries, so inspecting shares them rather than asking again. */
  discoveries?: DiscoveryMemory
}

/** Nexus Mods signs access tokens with `iss: "nexus-user-service"`, not its issuer URL. */
const ISSUER_ALIASES: ReadonlyMap<string, readonly string[]> = new Map([
  ['nexus-mods', ['nexus-user-service']],
])

/**
 * Verifies with jose, loaded on first use so that the start page's chunk stays small; tokens
 * that need no key (opaque, `alg: none`, HMAC) never load it.
 */
async function verify(
  token: string,
  decoded: Decoded,
  sources: KeySource[],
  context: Pick<InspectContext, 'fetch' | 'now' | 'jwksCache'>,
): Promise<VerifyResult> {
  const early = precheck(decoded)
  if (early !== undefined) return early
  try {
    return await verifyJwt(token, sources, {
      fetch: context.fetch,
      now: context.now,
      jwksCache: context.jwksCache,
    })
  } catch {
    // verifyJwt never rejects: only its code failed to load.
    return notChecked('verifier_unavailable', 'the verifier could not be loaded (reload the page)')
  }
}

/** Microsoft Graph's audiences: its application id, or its URL. */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
])

const isForGraph = (aud: unknown) =>
  (Array.isArray(aud) ? aud : [aud]).some(
    (one) => typeof one === 'string' && GRAPH_AUDIENCES.has(one),
  )

/**
 * A token of the session whose signature only its own audience can check, said so instead of
 * "invalid" or "refused": a refresh token the provider signed with a secret of its own (Keycloak
 * uses HS256 or HS512 by design, and never publishes the key), or a Microsoft Graph access token
 * whose header carries a `nonce` (Entra signs those over a hash of it, so only Graph can verify
 * them). Any other token that fails is invalid, header nonce or not. The session's ID token is
 * always judged as it is: the client must verify it.
 */
function forItsAudience(decoded: Decoded, kind: TokenKind, found: VerifyResult): VerifyResult {
  if (!decoded.ok) return found
  const alg = String(decoded.header.alg)
  if (kind === 'refresh' && found.status === 'not_checked' && found.code === 'symmetric_alg') {
    return notChecked(
      'not_for_client',
      `signed by the provider with a secret of its own (${alg}); only the provider can check a refresh token like this`,
    )
  }
  if (
    kind === 'access' &&
    found.status === 'invalid' &&
    typeof decoded.header.nonce === 'string' &&
    isForGraph(decoded.payload.aud)
  ) {
    return notChecked(
      'not_for_client',
      'the header carries a "nonce": the provider signed it for the API it is for (Microsoft Graph tokens are signed over a hash of it), so only that API can check it',
      found.notes,
    )
  }
  return found
}

function warningsFor(decoded: Decoded, expect: ClaimExpectations, now: number): ClaimWarning[] {
  return decoded.ok ? claimWarnings(decoded.payload, expect, now) : []
}

/**
 * Inspects a token the session holds: its signature with the profile's `verification_keys` and
 * JWKS (`jwks_uri`, discovered or configured), and its claims against the profile's issuer and
 * client id. Never throws.
 */
export async function inspectProfileToken(
  token: string,
  kind: TokenKind,
  profile: Profile | undefined,
  context: InspectContext,
): Promise<Inspection> {
  // Decoded once: the signature's precheck, its judgement and the claim warnings all read it.
  const decoded = decodeJwt(token)
  if (profile === undefined) {
    return { signature: await verify(token, decoded, [], context), warnings: [] }
  }
  let issuer = profile.issuer
  let jwksUri = profile.jwks_uri
  try {
    const { endpoints } = await resolveEndpoints(profile, context.store, {
      fetch: context.fetch,
      now: context.now,
      ...(context.discoveries ? { memory: context.discoveries } : {}),
    })
    issuer = endpoints.confirmedIssuer ?? profile.issuer
    jwksUri = endpoints.as.jwks_uri
  } catch {
    // Discovery failed and the profile has no endpoints of its own: use what it configures.
  }
  const issuers = [
    issuer,
    profile.issuer,
    ...(ISSUER_ALIASES.get(profile.preset ?? '') ?? []),
  ].filter(
    (value, index, list): value is string => value !== undefined && list.indexOf(value) === index,
  )
  const signature = forItsAudience(
    decoded,
    kind,
    await verify(token, decoded, profileKeySources(profile.verification_keys, jwksUri), context),
  )
  const warnings = warningsFor(decoded, { kind, issuers, clientId: profile.client_id }, context.now)
  return { signature, warnings }
}

/**
 * Inspects a pasted token with a pasted key (PEM, JWK, JWKS or JWKS URL). Nothing is stored; the
 * only request made is the JWKS fetch when the key is a URL. Never throws.
 */
export async function inspectPastedToken(
  token: string,
  keyText: string,
  context: Pick<InspectContext, 'fetch' | 'now' | 'jwksCache'>,
): Promise<Inspection> {
  const decoded = decodeJwt(token)
  const warnings = warningsFor(decoded, { kind: 'other' }, context.now)
  const early = precheck(decoded)
  if (early !== undefined) return { signature: early, warnings }
  const keys = parseKeyInput(keyText)
  if (!keys.ok) return { signature: notChecked('bad_key', keys.message), warnings }
  return { signature: await verify(token, decoded, keys.sources, context), warnings }
}
