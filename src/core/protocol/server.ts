// Types only: the start page never loads oauth4webapi (its requests and client authentication
// are made in the lazy protocol chunks, `oauth-options.ts`).
import type * as oauth from 'oauth4webapi'
import type { Profile } from '../profile/types'

export { REQUEST_TIMEOUT_MS } from '../timeout'

/**
 * Everything oauth4webapi needs to talk to one provider: the server metadata (discovered, or
 * made from the profile), the client and its secret (`clientAuth` makes its authentication).
 */
export interface Endpoints {
  as: oauth.AuthorizationServer
  client: oauth.Client
  /** The profile's client secret, sent in the body (`client_secret_post`); none for a public client. */
  clientSecret: string | undefined
  /**
   * The issuer whose callbacks (RFC 9207 `iss`) this profile may receive, or `undefined` when it
   * has none it can vouch for: see {@link confirmedIssuer}.
   */
  confirmedIssuer: string | undefined
}

type EndpointField =
  | 'authorization_endpoint'
  | 'token_endpoint'
  | 'revocation_endpoint'
  | 'userinfo_endpoint'
  | 'end_session_endpoint'
  | 'jwks_uri'

/**
 * Combines a profile with its discovered metadata. Discovered values win for the fields the
 * metadata has; the profile fills the rest (and `refresh_endpoint`, which no metadata defines).
 */
export function endpointsFor(profile: Profile, metadata?: oauth.AuthorizationServer): Endpoints {
  const pick = (key: EndpointField) => metadata?.[key] ?? profile[key]
  const authorizationEndpoint = pick('authorization_endpoint')
  const issuer =
    metadata?.issuer ?? profile.issuer ?? new URL(authorizationEndpoint ?? 'about:blank').origin
  const as: oauth.AuthorizationServer = {
    ...metadata,
    issuer,
    authorization_endpoint: authorizationEndpoint,
    token_endpoint: pick('token_endpoint'),
    revocation_endpoint: pick('revocation_endpoint'),
    userinfo_endpoint: pick('userinfo_endpoint'),
    end_session_endpoint: pick('end_session_endpoint'),
    jwks_uri: pick('jwks_uri'),
  }
  return {
    as,
    client: { client_id: profile.client_id },
    clientSecret: profile.client_secret ? profile.client_secret : undefined,
    confirmedIssuer: confirmedIssuer(profile, as, metadata),
  }
}

const sameOrigin = (a: string, b: string | undefined) => {
  try {
    return b === undefined || new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

/**
 * The issuer a profile may match callbacks against. A callback's `iss` is the only thing that tells
 * one provider's answer from another's when every profile shares the app's redirect URI (the
 * mix-up attack, RFC 9207 §1, RFC 9700 §4.4), so an issuer is trusted only when every endpoint
 * that receives a code, a token or an ID token from it (token, refresh, revocation, userinfo, end
 * session) is the issuer's own:
 * - with discovery, the metadata fetched from that issuer named it (RFC 8414 §3.3), and each of
 *   those endpoints the profile adds where the metadata has none (the token endpoint included) is
 *   on the issuer's or the metadata's token endpoint's origin;
 * - without discovery, each of those endpoints is on the issuer's own origin.
 * Otherwise a profile that merely writes another provider's issuer string, with its own token,
 * revocation or userinfo endpoint, would be handed that provider's codes, verifiers or tokens.
 *
 * The PAR endpoint (RFC 9126) is not among them: it receives the authorization parameters (the
 * S256 `code_challenge`, never the verifier; `state`, `nonce`), the client's authentication like
 * the token endpoint, and a DPoP proof bound to its own URL, nothing that redeems a code or is a
 * token, and it is only ever taken from the metadata the
 * issuer published (no profile field names one), so it is the issuer's by the same RFC 8414 rule.
 */
export function confirmedIssuer(
  profile: Profile,
  as: oauth.AuthorizationServer,
  metadata?: oauth.AuthorizationServer,
): string | undefined {
  const issuer = metadata?.issuer ?? profile.issuer
  if (issuer === undefined) return undefined
  const added = (
    field: 'token_endpoint' | 'revocation_endpoint' | 'userinfo_endpoint' | 'end_session_endpoint',
  ) => (metadata?.[field] === undefined ? profile[field] : undefined)
  const receivers =
    metadata === undefined
      ? [
          as.token_endpoint,
          profile.refresh_endpoint,
          as.revocation_endpoint,
          as.userinfo_endpoint,
          as.end_session_endpoint,
        ]
      : [
          added('token_endpoint'),
          profile.refresh_endpoint,
          added('revocation_endpoint'),
          added('userinfo_endpoint'),
          added('end_session_endpoint'),
        ]
  const own = (url: string | undefined) =>
    sameOrigin(issuer, url) ||
    (metadata?.token_endpoint !== undefined && sameOrigin(metadata.token_endpoint, url))
  return receivers.every(own) ? issuer : undefined
}

/** The metadata to use for a refresh: the token endpoint is swapped for `refresh_endpoint`. */
export function refreshServer(profile: Profile, endpoints: Endpoints): oauth.AuthorizationServer {
  return profile.refresh_endpoint
    ? { ...endpoints.as, token_endpoint: profile.refresh_endpoint }
    : endpoints.as
}
