import { AppError, serverFingerprint } from '../core/tools'
import { sendApiRequest, type ApiRequest, type ApiResponse } from './api'
import type { SessionState } from './state'
import type { AuthClient } from '../core'

/** The API console's actions, as the session exposes them. */
export interface ApiActions {
  /**
   * Sends an API console request through the token getter. A URL whose origin the profile does
   * not name is held back (`state.api.pending`) until {@link ApiActions.confirmSend}. Returns
   * the answer shown, if any.
   */
  send(request: ApiRequest): Promise<ApiResponse | undefined>
  /**
   * Trusts the pending request's origin for this profile, while it names the same server (in this
   * tab), and sends it.
   */
  confirmSend(): Promise<void>
  /** Drops the pending request. */
  cancelSend(): void
  /**
   * Whether the user let the bearer token of `profileId` go to `origin` (in this tab), for the
   * server the profile names now: re-pointed (here or in another tab), it asks again.
   */
  isConfirmed(profileId: string, origin: string): boolean
}

/** What the API actions need from the session. */
export interface ApiActionsContext {
  getState(): SessionState
  update(patch: Partial<SessionState>): void
  client(): AuthClient | undefined
  now(): number
  /** Shows an error, unless it is the refresh failure that already signed the user out. */
  alertUnlessSignedOut(cause: unknown, step: string): void
}

/**
 * Creates the API console's actions. The bearer token goes only to origins the profile names
 * (RFC 9700 §4.9); another origin needs the user's confirmation, remembered per profile and tab.
 */
export function createApiActions(ctx: ApiActionsContext): ApiActions {
  /** What the user allowed, in this tab: `<profile id> <server> <origin>`. */
  const confirmedOrigins = new Set<string>()
  const serverOf = (profileId: string) => {
    const listed = ctx.getState().profiles.find((entry) => entry.profile.id === profileId)
    return listed === undefined ? undefined : serverFingerprint(listed.profile)
  }
  const confirmation = (profileId: string, server: string, origin: string) =>
    `${profileId} ${server} ${origin}`
  const isConfirmed = (profileId: string, origin: string) => {
    const server = serverOf(profileId)
    return server !== undefined && confirmedOrigins.has(confirmation(profileId, server, origin))
  }

  const actions: ApiActions = {
    async send(request) {
      const { selectedId: profileId, api } = ctx.getState()
      const client = ctx.client()
      try {
        if (
          client === undefined ||
          profileId === undefined ||
          ctx.getState().tokens === undefined
        ) {
          throw new AppError('not_signed_in', 'There is no session to call the API with.')
        }
        const origin = new URL(request.url).origin
        // The library's own check: the one its fetch makes before sending the token.
        const trusted = await client.sendsTokenTo(request.url)
        if (!trusted && !isConfirmed(profileId, origin)) {
          const server = serverOf(profileId) ?? ''
          ctx.update({
            api: { busy: false, response: api.response, pending: { request, origin, server } },
          })
          return undefined
        }
        ctx.update({ api: { busy: true, response: api.response } })
        const response = await sendApiRequest(request, client, () => ctx.now())
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
      // What was asked about: a profile re-pointed since then is asked about again by send().
      confirmedOrigins.add(confirmation(selectedId, api.pending.server, api.pending.origin))
      await actions.send(api.pending.request)
    },

    isConfirmed,

    cancelSend() {
      ctx.update({ api: { busy: false, response: ctx.getState().api.response } })
    },
  }
  return actions
}
