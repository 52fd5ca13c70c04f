import { AuthError, type Tokens } from '../core'
import type { RequestRecord } from '../core'
import {
  pkceWarning,
  AppError,
  offlineError,
  toAppError,
  revocationNote,
  type Endpoints,
  type Profile,
} from '../core/tools'
import type { ClientHost, SessionEnvironment } from './client-host'
import { underlying, type Notices } from './notices'
import { siteDataBlocked } from './site-data'
import type { SessionState } from './state'

/** Log in, log out and refresh, on the selected profile's client. */
export interface AuthActions {
  /** Leaves for the provider, after the checks a user can act on before leaving. */
  login(): Promise<void>
  /** Forgets the tokens in every tab, revokes them, and offers the provider's logout. */
  logout(): Promise<void>
  refreshNow(): Promise<void>
}

/** What the auth actions need from the session. */
export interface AuthActionsContext {
  env: Pick<SessionEnvironment, 'now' | 'siteDataProblem' | 'online'>
  host: ClientHost
  getState(): SessionState
  update(patch: Partial<SessionState>): void
  record(entry: RequestRecord): void
  notices: Notices
  requireProfile(id: string): Profile
  endpointsOf(profile: Profile): Promise<Endpoints>
  offerEndSession(profileId: string, tokens: Tokens): Promise<void>
}

/** Creates the login, logout and refresh actions. */
export function createAuthActions(ctx: AuthActionsContext): AuthActions {
  const { env, host, notices } = ctx
  /** Profiles whose PKCE warning the user has seen: the next Log in goes ahead. */
  const pkceWarned = new Set<string>()
  return {
    async login() {
      const id = ctx.getState().selectedId
      const client = host.current()
      if (id === undefined || client === undefined) return
      ctx.update({ busy: true })
      try {
        // Before anything else: with metadata remembered, nothing else would fail before the
        // browser leaves for a provider it cannot reach (and shows its own error page).
        if (env.online?.() === false) throw offlineError('login')
        if (env.siteDataProblem !== undefined) throw siteDataBlocked(env.siteDataProblem)
        const profile = ctx.requireProfile(id)
        if (profile.client_id === '') {
          throw new AppError('invalid_profile', `The profile "${profile.name}" has no Client ID.`, {
            detail: { field: 'client_id' },
          })
        }
        const warning = pkceWarning((await ctx.endpointsOf(profile)).as)
        if (warning !== undefined && !pkceWarned.has(id)) {
          // Shown before any redirect, so the user can read it; the next Log in goes ahead.
          pkceWarned.add(id)
          throw new AppError('pkce_unsupported', warning)
        }
        await client.login({ evenWithoutAdvertisedPkce: true })
      } catch (cause) {
        notices.alert(cause, 'login')
        ctx.update({ busy: false })
      }
    },

    async logout() {
      const id = ctx.getState().selectedId
      const client = host.current()
      if (id === undefined || client === undefined) return
      // The tokens as deleted, after any refresh in flight: a rotated refresh token is the one
      // revoked, not the copy this tab held before.
      const result = await client.logout().catch((cause: unknown) => {
        notices.alert(cause, 'logout')
        return undefined
      })
      ctx.update({ api: { busy: false, response: undefined } })
      if (result?.tokens === undefined) return
      // What the provider says about revocation is reported in the timeline, never as an error
      // (RFC 7009 §2.2: e.g. JWT access tokens may not be revocable).
      const outcome =
        result.revocation instanceof AuthError
          ? toAppError(underlying(result.revocation), 'revocation request')
          : result.revocation
      if (outcome !== undefined)
        ctx.record({ at: env.now(), step: 'logout', note: revocationNote(outcome) })
      await ctx.offerEndSession(id, result.tokens)
    },

    async refreshNow() {
      try {
        const client = host.current()
        if (client === undefined || ctx.getState().tokens === undefined)
          throw new AppError('not_signed_in', 'There is no session to refresh.')
        await client.refresh()
      } catch (cause) {
        notices.alertUnlessSignedOut(cause, 'refresh request')
      }
    },
  }
}
