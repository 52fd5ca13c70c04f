import { generateState, startAuthorization } from './protocol/authorize'
import { pkceWarning } from './protocol/discovery'
import { dpopHandle, generateDpopKey, savePendingKey } from './protocol/dpop'
import type { Endpoints } from './protocol/server'
import { AuthError } from './auth-error'
import type { ClientContext } from './client-context'
import type { LoginOptions } from './types'

/**
 * With DPoP every login gets a new key, kept by its `state` until the callback: the pushed
 * request (if any) and the code exchange prove it; the previous session's key goes with its
 * tokens.
 */
async function loginKey(ctx: ClientContext) {
  const state = generateState()
  const key = await generateDpopKey()
  await savePendingKey(await ctx.store, ctx.profile.id, state, key, ctx.env.now())
  return { state, handle: dpopHandle(key) }
}

/**
 * Log in, loaded on use: refuses a provider whose metadata does not list S256 unless the caller
 * insists, saves the login record (and a DPoP key) and leaves for the authorization URL, or
 * resolves with it (`navigate: false`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.8
 */
export async function login(
  ctx: ClientContext,
  endpoints: Endpoints,
  options: LoginOptions,
): Promise<URL> {
  const { profile, env } = ctx
  const warning = pkceWarning(endpoints.as)
  if (warning !== undefined && options.evenWithoutAdvertisedPkce !== true)
    throw new AuthError('pkce_unsupported', warning)
  const dpop = profile.dpop === true ? await loginKey(ctx) : undefined
  const url = await startAuthorization(profile, endpoints, {
    storage: env.transientStorage,
    redirectUri: ctx.redirectUri(),
    now: env.now(),
    fetch: ctx.fetchFor('pushed authorization request'),
    ...(dpop !== undefined ? { state: dpop.state, dpop: dpop.handle } : {}),
  })
  if (options.navigate !== false) env.navigate(url.href)
  return url
}
