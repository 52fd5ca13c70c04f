import * as oauth from 'oauth4webapi'
import { isInsecureLoopback } from '../profile/url-rule'
import type { Endpoints } from './server'

/** The options every oauth4webapi request here takes. */
export interface RequestOptions {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- only ever set for loopback http:
  [oauth.allowInsecureRequests]?: boolean
  [oauth.customFetch]: (url: string, init: RequestInit) => Promise<Response>
}

/**
 * Request options for one call: loopback `http:` allowed (the demo provider and local
 * development), and the fetch to send with (the caller's: it adds the timeout and the timeline).
 */
export function requestOptions(url: string | undefined, fetchImpl: typeof fetch): RequestOptions {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback http: only (demo, tests)
  const insecure = oauth.allowInsecureRequests
  return {
    ...(url !== undefined && isInsecureLoopback(url) ? { [insecure]: true } : {}),
    [oauth.customFetch]: (input: string, init: RequestInit) => fetchImpl(input, init),
  }
}

/**
 * The client's authentication at the token, revocation and PAR endpoints: `client_secret_post`
 * when the profile has a secret, else none (a public client, RFC 6749 §2.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-2.3.1
 */
export function clientAuth(endpoints: Pick<Endpoints, 'clientSecret'>): oauth.ClientAuth {
  return endpoints.clientSecret !== undefined
    ? oauth.ClientSecretPost(endpoints.clientSecret)
    : oauth.None()
}
