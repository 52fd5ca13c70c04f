import * as oauth from 'oauth4webapi'
import { dpopHandle, type DpopKey } from './dpop'
import { requestOptions } from './oauth-options'

/** What one send needs: the request as the caller gave it, and the token to send it with. */
export type Send = (target: RequestInfo | URL, token: string) => Promise<Response>

/**
 * Sends with `Authorization: DPoP <token>` and a fresh proof of the session's key (`ath` = the
 * token's hash, RFC 9449 §7), made by oauth4webapi's `protectedResourceRequest`; the request goes
 * out as the caller built it (method, body, credentials, redirect mode), with those two headers
 * added. A `use_dpop_nonce` challenge is answered once with the server's `DPoP-Nonce` (the handle
 * remembers it per origin for the next request).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-9
 */
export function dpopSend(
  init: RequestInit | undefined,
  key: DpopKey,
  fetchImpl: typeof fetch,
): Send {
  const handle = dpopHandle(key)
  const once = async (
    target: RequestInfo | URL,
    token: string,
  ): Promise<{ response: Response; nonceAsked: boolean }> => {
    // Read without constructing a Request from `target`, which would take its body.
    const url = new URL(target instanceof Request ? target.url : new Request(target).url)
    const method = init?.method ?? (target instanceof Request ? target.method : 'GET')
    try {
      const response = await oauth.protectedResourceRequest(token, method, url, undefined, null, {
        ...requestOptions(url.href, fetchImpl),
        DPoP: handle,
        [oauth.customFetch]: (_url, built) => {
          const proof = new Headers(built.headers)
          const headers = new Headers(
            init?.headers ?? (target instanceof Request ? target.headers : {}),
          )
          headers.set('authorization', proof.get('authorization') ?? '')
          headers.set('dpop', proof.get('dpop') ?? '')
          return fetchImpl(target, { ...init, headers })
        },
      })
      return { response, nonceAsked: false }
    } catch (cause) {
      // oauth4webapi throws on any challenge; the caller gets the answer, whatever it is.
      if (cause instanceof oauth.WWWAuthenticateChallengeError)
        return { response: cause.response, nonceAsked: oauth.isDPoPNonceError(cause) }
      throw cause
    }
  }
  return async (target, token) => {
    const copy = target instanceof Request ? target.clone() : target
    const first = await once(target, token)
    return first.nonceAsked ? (await once(copy, token)).response : first.response
  }
}
