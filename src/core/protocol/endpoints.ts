import type * as oauth from 'oauth4webapi'
import { SERVER_ENDPOINT_FIELDS, type Profile } from '../profile/types'
import type { KeyValueStore } from '../storage/kv'
import { AppError } from './app-error'
import { endpointsFor, type Endpoints } from './server'

const metadataKey = (profileId: string) => `metadata:${profileId}`

/** Forgets the cached discovery metadata of a profile (its issuer or endpoints changed). */
export async function forgetMetadata(store: KeyValueStore, profileId: string): Promise<void> {
  await store.del(metadataKey(profileId))
}
/** Discovered metadata is reused for an hour, so a callback needs no discovery round trip. */
const METADATA_TTL_MS = 60 * 60 * 1000

/**
 * The discoveries of this page load, by profile id, until they succeed: concurrent callers share
 * one request, and a failing provider is asked once, not on every action. `profile` is the
 * profile as it was (JSON), so an edited, imported or re-selected changed profile is asked afresh.
 */
export type DiscoveryMemory = Map<
  string,
  { profile: string; issuer: string; discovery: Promise<oauth.AuthorizationServer> }
>

/** Forgets the remembered discoveries of an issuer: the user pressed Discover, so ask again. */
export function forgetDiscoveries(memory: DiscoveryMemory, issuer: string): void {
  for (const [id, entry] of memory) if (entry.issuer === issuer) memory.delete(id)
}

/** Discovery's code is loaded when a discovery is needed, not with the app. */
async function discoverLazily(issuer: string, fetchImpl: typeof fetch) {
  const { discover } = await import('./discovery')
  return discover(issuer, fetchImpl)
}

/**
 * The endpoints of a profile, discovering metadata when the profile asks for it. When discovery
 * fails for a reason other than an issuer mismatch and the profile names its own endpoints (the
 * Nexus Mods preset), those are used and `fallback` says why. With `memory`, a discovery in
 * flight or failed is reused without a request: the same error object, so it is reported once.
 */
export async function resolveEndpoints(
  profile: Profile,
  store: KeyValueStore,
  options: { fetch: typeof fetch; now: number; fresh?: boolean; memory?: DiscoveryMemory },
): Promise<{ endpoints: Endpoints; fallback?: AppError }> {
  const issuer = profile.issuer
  if (profile.discovery !== true || issuer === undefined)
    return { endpoints: endpointsFor(profile) }
  const cached = (await store.get(metadataKey(profile.id))) as
    { issuer: string; fetched_at: number; metadata: oauth.AuthorizationServer } | undefined
  if (
    options.fresh !== true &&
    cached?.issuer === issuer &&
    options.now - cached.fetched_at < METADATA_TTL_MS
  ) {
    return { endpoints: endpointsFor(profile, cached.metadata) }
  }
  const fingerprint = JSON.stringify(profile)
  const known = options.memory?.get(profile.id)
  const entry =
    options.fresh !== true && known?.profile === fingerprint
      ? known
      : { profile: fingerprint, issuer, discovery: discoverLazily(issuer, options.fetch) }
  options.memory?.set(profile.id, entry)
  try {
    const metadata = await entry.discovery
    await store.set(metadataKey(profile.id), { issuer, fetched_at: options.now, metadata })
    // From now on the stored metadata answers (until its TTL, then discovery runs again).
    if (options.memory?.get(profile.id) === entry) options.memory.delete(profile.id)
    return { endpoints: endpointsFor(profile, metadata) }
  } catch (cause) {
    const error = cause instanceof AppError ? cause : undefined
    const canFallBack =
      error !== undefined &&
      error.code !== 'issuer_mismatch' &&
      profile.authorization_endpoint !== undefined &&
      profile.token_endpoint !== undefined
    if (!canFallBack) throw cause
    const offIssuer = endpointsOffIssuer(profile)
    if (offIssuer.length > 0) {
      throw new AppError(
        'fallback_off_issuer',
        `${error.message} The profile's ${offIssuer.join(', ')} ${offIssuer.length > 1 ? 'are' : 'is'} not on its issuer ${new URL(issuer).origin}, so the app does not fall back to ${offIssuer.length > 1 ? 'them' : 'it'}: a login there would go to another server.`,
        { cause },
      )
    }
    return { endpoints: endpointsFor(profile), fallback: error }
  }
}

/**
 * The profile's endpoints that are not on its issuer's origin. A fallback stands in for metadata
 * the issuer did not give, so it may only name that issuer's own host (RFC 8414 §3.3: the
 * metadata is the issuer's; endpoints of another host are another server's).
 */
export function endpointsOffIssuer(profile: Profile): string[] {
  if (profile.issuer === undefined) return []
  const issuer = new URL(profile.issuer).origin
  return SERVER_ENDPOINT_FIELDS.filter((field) => {
    const url = profile[field]
    return url !== undefined && new URL(url).origin !== issuer
  })
}
