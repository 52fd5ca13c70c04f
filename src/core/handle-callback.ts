import { readCallback, withoutCallbackParams } from './protocol/callback-params'
import type { DpopSession } from './protocol/dpop'
import type { Endpoints } from './protocol/server'
import { pendingLoginProfile } from './protocol/transient'
import type { Profile } from './profile/types'
import type { JwksCache } from './jwt/jwks'
import type { TokenGetter } from './refresh/token-getter'
import type { StoredTokens } from './storage/token-store'
import type { AuthEnvironment } from './environment'
import type { Emitter } from './events'
import type { TimelineStep } from './record'
import type { AuthEvents } from './types'

/** What completing a callback needs from its client. */
export interface CallbackContext {
  profile: Profile
  env: AuthEnvironment
  events: Emitter<AuthEvents>
  getter: TokenGetter
  redirectUri: string
  endpointsOf(): Promise<Endpoints>
  fetchFor(step: TimelineStep): typeof fetch
  /** The fetch for the ID token's keys (timed, not recorded). */
  keysFetch: typeof fetch
  jwksCache: JwksCache
  /** Whether tokens another server issued under this profile id are deleted at load. */
  forgetForeign: boolean
  /** With DPoP: takes the key the login with this `state` was started with out of storage. */
  dpopKeyOf(state: string): Promise<DpopSession | undefined>
}

/**
 * This page load's callback parameters when they answer a login or logout of this client's
 * profile (or of no login this tab knows: then the callback's own checks report it).
 */
function ownCallback(ctx: CallbackContext): URLSearchParams | undefined {
  const params = readCallback(ctx.env.location())
  const state = params?.get('state')
  if (params === undefined || state === null || state === undefined) return params
  const owner = pendingLoginProfile(ctx.env.transientStorage, state)
  return owner === undefined || owner === ctx.profile.id ? params : undefined
}

/**
 * Completes this client's callback, if the page carries one: the code exchanged and its tokens
 * stored, or a logout return recorded; otherwise loads the stored session. Resolves with the
 * tokens a callback brought.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.4
 */
export async function handleCallback(ctx: CallbackContext): Promise<StoredTokens | undefined> {
  const { env, getter } = ctx
  const load = () => getter.load({ forgetForeign: ctx.forgetForeign })
  const params = ownCallback(ctx)
  if (params === undefined) {
    await load()
    return undefined
  }
  env.replaceUrl(withoutCallbackParams(env.location(), ctx.redirectUri))
  // Loaded only when the page carries a callback: a returning user's start needs none of it.
  const { completeCallback } = await import('./complete-callback')
  return completeCallback(ctx, params, load)
}
