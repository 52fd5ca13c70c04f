import * as oauth from 'oauth4webapi'
import { isReservedParam } from '../profile/url-rule'
import { wantsOpenId } from '../profile/scope'
import { serverFingerprint } from '../profile/server-fingerprint'
import type { Profile } from '../profile/types'
import { retryOnNonce } from './dpop'
import { AppError, toAppError } from './errors'
import { clientAuth, requestOptions } from './oauth-options'
import type { Endpoints } from './server'
import { saveTransient, sweepTransients, type TransientStorage } from './transient'

/** A fresh `state` (RFC 6749 §10.12), for a caller that keeps something under it. */
export const generateState = (): string => oauth.generateRandomState()

/** Whether a login pushes its parameters first: the profile asks, or the provider requires it. */
export function usesPar(profile: Profile, endpoints: Endpoints): boolean {
  return profile.par === true || endpoints.as.require_pushed_authorization_requests === true
}

/** Options of {@link startAuthorization}. */
export interface AuthorizationOptions {
  storage: TransientStorage
  redirectUri: string
  now: number
  /** The login's `state`, when the caller keeps something else under it (the DPoP key). */
  state?: string
  /** The fetch for the pushed authorization request (timed and recorded by the caller). */
  fetch?: typeof fetch
  /** The login's DPoP handle: the pushed request carries its proof, binding the code to the key. */
  dpop?: oauth.DPoPHandle
}

/**
 * Pushes the authorization parameters to the provider (RFC 9126) and returns the URL the browser
 * leaves with: `client_id` and the `request_uri` it answered, nothing else. With DPoP the request
 * carries a proof, so the code can only be exchanged with the same key (RFC 9449 §10.1), and a
 * `use_dpop_nonce` answer is retried once.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126.html#section-2
 */
async function pushAuthorization(
  endpoints: Endpoints,
  authorize: URL,
  params: URLSearchParams,
  options: AuthorizationOptions,
): Promise<URL> {
  const endpoint = endpoints.as.pushed_authorization_request_endpoint
  if (endpoint === undefined) {
    throw new AppError(
      'invalid_profile',
      'The profile asks for pushed authorization requests, but the provider names no pushed_authorization_request_endpoint.',
      { detail: { field: 'pushed_authorization_request_endpoint' } },
    )
  }
  const fetchImpl = options.fetch ?? fetch
  try {
    const { request_uri } = await retryOnNonce(async () => {
      const response = await oauth.pushedAuthorizationRequest(
        endpoints.as,
        endpoints.client,
        clientAuth(endpoints),
        params,
        {
          ...requestOptions(endpoint, fetchImpl),
          ...(options.dpop !== undefined ? { DPoP: options.dpop } : {}),
        },
      )
      return oauth.processPushedAuthorizationResponse(endpoints.as, endpoints.client, response)
    })
    const url = new URL(authorize.origin + authorize.pathname)
    url.searchParams.set('client_id', endpoints.client.client_id)
    url.searchParams.set('request_uri', request_uri)
    return url
  } catch (cause) {
    throw toAppError(cause, 'pushed authorization request')
  }
}

/**
 * Builds the authorization request URL and saves the transient record it needs. PKCE is always
 * S256 with a fresh WebCrypto verifier (RFC 7636 §4.1–4.2) unless the profile turned PKCE off for
 * the secret-based flow. With PAR ({@link usesPar}) the parameters are pushed first and the URL
 * carries only `client_id` and `request_uri`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.1
 */
export async function startAuthorization(
  profile: Profile,
  endpoints: Endpoints,
  options: AuthorizationOptions,
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
  const state = options.state ?? oauth.generateRandomState()
  const nonce = wantsOpenId(profile.scope) ? oauth.generateRandomNonce() : undefined

  // The query the endpoint's URL may already carry is kept, whether it is sent or pushed, but
  // for the parameters that are the app's alone (discovered metadata is not validated as a
  // profile is): `response_mode=form_post` there would have the code POSTed elsewhere.
  const params = new URLSearchParams(url.search)
  for (const name of [...params.keys()]) if (isReservedParam(name)) params.delete(name)
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
  // Pushed first: nothing is saved for a login the provider refused to take.
  const par = usesPar(profile, endpoints)
  let target = url
  if (par) target = await pushAuthorization(endpoints, url, params, options)
  else url.search = params.toString()
  const pushedTo = endpoints.as.pushed_authorization_request_endpoint
  // Logins abandoned more than ten minutes ago can never complete: their verifiers go.
  sweepTransients(options.storage, options.now)
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
    ...(par && pushedTo !== undefined ? { pushed: { at: options.now, url: pushedTo } } : {}),
  })
  return target
}
