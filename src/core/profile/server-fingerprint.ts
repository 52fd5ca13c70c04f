import type { Profile } from './types'

/**
 * Where a profile's tokens come from and go to: its issuer (and whether it is discovered), every
 * endpoint, the client and the origins of its API requests. Two profiles with the same fingerprint
 * talk to the same server, so tokens issued under one may be used under the other; any other
 * difference means tokens must not follow (RFC 9700 §4.9: a token goes only where it was meant to).
 *
 * The result is a canonical JSON string, compared for equality only. It holds no secret (the
 * client secret is left out: changing it does not change the server).
 */
export function serverFingerprint(profile: Profile): string {
  const requestOrigins = [
    ...new Set((profile.requests ?? []).map((request) => originOf(request.url))),
  ].sort()
  return JSON.stringify([
    profile.issuer ?? null,
    profile.discovery === true,
    profile.authorization_endpoint ?? null,
    profile.token_endpoint ?? null,
    profile.refresh_endpoint ?? null,
    profile.revocation_endpoint ?? null,
    profile.userinfo_endpoint ?? null,
    profile.end_session_endpoint ?? null,
    profile.jwks_uri ?? null,
    profile.redirect_uri ?? null,
    profile.client_id,
    requestOrigins,
    // Appended only when on, so the fingerprints of existing profiles stay as they were: a
    // session bound to a key does not follow a profile that turned DPoP off, nor the reverse.
    ...(profile.dpop === true ? ['dpop'] : []),
  ])
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}
