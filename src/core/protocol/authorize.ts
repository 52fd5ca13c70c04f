import * as oauth from 'oauth4webapi'
import { serverFingerprint } from '../profile/server-fingerprint'
import type { Profile } from '../profile/types'
import { AppError } from './errors'
import type { Endpoints } from './server'
import { saveTransient, type TransientStorage } from './transient'

/** True when the scope asks for OpenID Connect, so a nonce is sent (OIDC Core §3.1.2.1). */
export function wantsOpenId(scope: string): boolean {
  return scope.split(' ').includes('openid')
}

/**
 * Builds the authorization request URL and saves the transient record it needs. PKCE is always
 * S256 with a fresh WebCrypto verifier (RFC 7636 §4.1–4.2) unless the profile turned PKCE off for
 * the secret-based flow.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
 */
export async function startAuthorization(
  profile: Profile,
  endpoints: Endpoints,
  options: { storage: TransientStorage; redirectUri: string; now: number },
): Promise<URL> {
  const endpoint = endpoints.as.authorization_endpoint
  if (endpoint === undefined) {
    throw new AppError(
      'invalid_profile',
      'The provider has no authorization endpoint (neither in the profile nor in its metadata).',
      { detail: { field: 'authorization_endpoint' } },
    )
  }
  const url = new URL(endpoint)
  const verifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const nonce = wantsOpenId(profile.scope) ? oauth.generateRandomNonce() : undefined

  const params = url.searchParams
  for (const [name, value] of Object.entries(profile.authorization_params ?? {}))
    params.set(name, value)
  params.set('response_type', 'code')
  params.set('client_id', profile.client_id)
  params.set('redirect_uri', options.redirectUri)
  // Nexus Mods' guide sends scope even when empty; an empty scope is harmless elsewhere.
  params.set('scope', profile.scope)
  params.set('state', state)
  if (nonce !== undefined) params.set('nonce', nonce)
  if (profile.pkce) {
    params.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier))
    params.set('code_challenge_method', 'S256')
  }
  saveTransient(options.storage, {
    verifier,
    state,
    ...(nonce !== undefined ? { nonce } : {}),
    profile_id: profile.id,
    created_at: options.now,
    ...(endpoints.confirmedIssuer !== undefined ? { issuer: endpoints.confirmedIssuer } : {}),
    ...(endpoints.as.authorization_response_iss_parameter_supported === true
      ? { iss_required: true }
      : {}),
    ...(endpoints.as.token_endpoint !== undefined
      ? { token_endpoint: endpoints.as.token_endpoint }
      : {}),
    server: serverFingerprint(profile),
  })
  return url
}
