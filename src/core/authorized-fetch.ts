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

/** Whether a 401 answer refuses the token itself (RFC 6750 §3.1), which a refresh may cure. */
export function tokenRefused(response: Response): boolean {
  if (response.status !== 401) return false
  const challenge = response.headers.get('www-authenticate')
  return challenge === null || !/error="?(?!invalid_token)\w/i.test(challenge)
}

/**
 * `fetch` with `Authorization: Bearer`. The token goes only to origins the profile names (RFC 9700
 * §4.9), or where `onUnknownOrigin` allows; on a 401 that refuses the token: one refresh and one
 * retry, never more. Resolves with the provider's `Response`, whatever its status.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
 */
export async function authorizedFetch(
  request: Request,
  context: {
    getter: TokenGetter
    profile: Profile
    endpoints: Endpoints
    fetch: typeof fetch
    onUnknownOrigin?: (url: string) => boolean | Promise<boolean>
  },
): Promise<Response> {
  const origin = new URL(request.url).origin
  const trusted = trustedOrigins(context.profile, [
    context.endpoints.as.userinfo_endpoint,
    context.endpoints.as.revocation_endpoint,
  ])
  if (!trusted.has(origin) && (await context.onUnknownOrigin?.(request.url)) !== true) {
    throw new AuthError(
      'token_destination',
      `The bearer token was not sent: the profile does not name ${origin}.`,
    )
  }
  const retry = request.clone()
  const send = (attempt: Request, token: string) => {
    const headers = new Headers(attempt.headers)
    headers.set('authorization', `Bearer ${token}`)
    return context.fetch(new Request(attempt, { headers }))
  }
  const token = await context.getter.get()
  const response = await send(request, token)
  if (!tokenRefused(response)) return response
  const fresh = await context.getter.refreshNow(token)
  return send(retry, fresh.access_token)
}
