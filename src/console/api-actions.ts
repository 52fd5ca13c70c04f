import { AppError } from '../core/protocol/errors'
import type { Endpoints } from '../core/protocol/server'
import type { Profile } from '../core/profile/types'
import { sendApiRequest, type ApiRequest, type ApiResponse } from './api'
import { trustedOrigins } from '../core/authorized-fetch'
import type { SessionState } from './state'
import type { TimelineStep } from '../core/record'
import type { TokenGetter } from '../core/refresh/token-getter'

/** The API console's actions, as the session exposes them. */
export interface ApiActions {
  /**
   * Sends an API console request through the token getter. A URL whose origin the profile does
   * not name is held back (`state.api.pending`) until {@link ApiActions.confirmSend}. Returns
   * the answer shown, if any.
   */
  send(request: ApiRequest): Promise<ApiResponse | undefined>
  /** Trusts the pending request's origin for this profile (in this tab) and sends it. */
  confirmSend(): Promise<void>
  /** Drops the pending request. */
  cancelSend(): void
}

/** What the API actions need from the session. */
export interface ApiActionsContext {
  getState(): SessionState
  update(patch: Partial<SessionState>): void
  getter(): TokenGetter | undefined
  requireProfile(id: string): Profile
  endpointsOf(profile: Profile): Promise<Endpoints>
  fetchFor(step: TimelineStep): typeof fetch
  now(): number
  /** Shows an error, unless it is the refresh failure that already signed the user out. */
  alertUnlessSignedOut(cause: unknown, step: string): void
}

/**
 * Creates the API console's actions. The bearer token goes only to origins the profile names
 * (RFC 9700 §4.9); another origin needs the user's confirmation, remembered per profile and tab.
 */
export function createApiActions(ctx: ApiActionsContext): ApiActions {
  /** `<profile id> <origin>` pairs the user allowed the bearer token to go to, in this tab. */
  const confirmedOrigins = new Set<string>()

  const actions: ApiActions = {
    async send(request) {
      const { selectedId: profileId, api } = ctx.getState()
      const getter = ctx.getter()
      try {
        if (getter === undefined || profileId === undefined) {
          throw new AppError('not_signed_in', 'There is no session to call the API with.')
        }
        const origin = new URL(request.url).origin
        const profile = ctx.requireProfile(profileId)
        const { as } = await ctx.endpointsOf(profile)
        const trusted = trustedOrigins(profile, [
          as.token_endpoint,
          as.userinfo_endpoint,
          as.revocation_endpoint,
        ])
        if (!trusted.has(origin) && !confirmedOrigins.has(`${profileId} ${origin}`)) {
          ctx.update({ api: { busy: false, response: api.response, pending: { request, origin } } })
          return undefined
        }
        ctx.update({ api: { busy: true, response: api.response } })
        const response = await sendApiRequest(request, getter, ctx.fetchFor('API call'), () =>
          ctx.now(),
        )
        ctx.update({ api: { busy: false, response } })
        return response
      } catch (cause) {
        ctx.update({ api: { busy: false, response: undefined } })
        ctx.alertUnlessSignedOut(cause, 'API request')
        return undefined
      }
    },

    async confirmSend() {
      const { api, selectedId } = ctx.getState()
      if (api.pending === undefined || selectedId === undefined) return
      confirmedOrigins.add(`${selectedId} ${api.pending.origin}`)
      await actions.send(api.pending.request)
    },

    cancelSend() {
      ctx.update({ api: { busy: false, response: ctx.getState().api.response } })
    },
  }
  return actions
}
