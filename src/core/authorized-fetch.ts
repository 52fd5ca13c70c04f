import type { Send } from './protocol/dpop-fetch'
import type { Endpoints } from './protocol/server'
import type { Profile } from './profile/types'
import type { TokenGetter } from './refresh/token-getter'
import { AuthError } from './auth-error'

/**
 * The origins a profile names, the only ones its bearer token goes to without asking (RFC 9700
 * §4.9: no token to an origin the provider did not name).
 */
export function trustedOrigins(profile: Profile, extra: (string | undefined)[] = []): Set<string> {
  const urls = [
    profile.issuer,
    profile.token_endpoint,
    profile.userinfo_endpoint,
    profile.revocation_endpoint,
    ...(profile.requests ?? []).map((request) => request.url),
    ...extra,
  ]
  const origins = new Set<string>()
  for (const url of urls) {
    if (url === undefined) continue
    try {
      origins.add(new URL(url).origin)
    } catch {
      // A malformed URL names no origin.
    }
  }
  return origins
}

/**
 * Whether the bearer token goes to `url` without asking `onUnknownOrigin`: the profile, or the
 * server's metadata (its token, userinfo or revocation endpoint), names its origin. The one
 * check {@link authorizedFetch} makes, and `AuthClient.sendsTokenTo` answers.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.9
 */
export function namesOrigin(profile: Profile, endpoints: Endpoints, url: string): boolean {
  const { as } = endpoints
  return trustedOrigins(profile, [
    as.token_endpoint,
    as.userinfo_endpoint,
    as.revocation_endpoint,
  ]).has(new URL(url).origin)
}

/**
 * Whether a 401 answer refuses the token itself (RFC 6750 §3.1, RFC 9449 §7.1: `Bearer` or `DPoP`
 * `error="invalid_token"`, or no error), which a refresh may cure. A `use_dpop_nonce` challenge is
 * not a refusal of the token: it asks for a new proof.
 */
export function tokenRefused(response: Response): boolean {
  if (response.status !== 401) return false
  const challenge = response.headers.get('www-authenticate')
  return challenge === null || !/error="?(?!invalid_token)\w/i.test(challenge)
}

/**
 * `fetch` with `Authorization: Bearer`, or `DPoP` with a proof for a session bound to a key
 * (`protocol/dpop-fetch.ts`). The token goes only to origins the profile names (RFC 9700
 * §4.9), or where `onUnknownOrigin` allows; on a 401 that refuses the token: one refresh and one
 * retry, never more. Resolves with the provider's `Response`, whatever its status.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
 */
export async function authorizedFetch(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  context: {
    getter: TokenGetter
    profile: Profile
    endpoints: Endpoints
    fetch: typeof fetch
    onUnknownOrigin?: (url: string) => boolean | Promise<boolean>
  },
): Promise<Response> {
  const request = new Request(input, init)
  const origin = new URL(request.url).origin
  if (
    !namesOrigin(context.profile, context.endpoints, request.url) &&
    (await context.onUnknownOrigin?.(request.url)) !== true
  ) {
    throw new AuthError(
      'token_destination',
      `The bearer token was not sent: the profile does not name ${origin}.`,
    )
  }
  // The caller's input and init are passed on as they came (a timeline records them); only the
  // Authorization header is set. A Request's body can be read once: the retry sends a copy.
  const retry = input instanceof Request ? input.clone() : input
  const token = await context.getter.get()
  // The key is the session's, the same across its refreshes (bound at login).
  const key = context.getter.current()?.dpop
  // The proof's code loads only for a DPoP-bound session: a Bearer page never needs it.
  const send: Send =
    key !== undefined
      ? (await import('./protocol/dpop-fetch')).dpopSend(init, key, context.fetch)
      : (target, bearer) => {
          const headers = new Headers(
            init?.headers ?? (target instanceof Request ? target.headers : {}),
          )
          headers.set('authorization', `Bearer ${bearer}`)
          return context.fetch(target, { ...init, headers })
        }
  const response = await send(input, token)
  if (!tokenRefused(response)) return response
  // A 401 from where a redirect led, off the request's origin and the profile's, says nothing
  // about the token: no refresh for it, and the token is not sent there again.
  if (
    response.redirected &&
    new URL(response.url).origin !== origin &&
    !namesOrigin(context.profile, context.endpoints, response.url)
  ) {
    return response
  }
  const fresh = await context.getter.refreshNow(token)
  return send(retry, fresh.access_token)
}
