import { resolveEndpoints, type KeyValueStore } from '../core/tools'
import type { AuditReport } from './audit/finding'
import { NO_ROTATION_SEEN, observeRotation, type RotationMemory } from './audit/rotation'
import type { SessionState } from './state'

/** The provider audit, as the session exposes it to the UI. */
export interface AuditActions {
  /**
   * Audits the selected profile's provider: its metadata (discovered afresh), CORS at its JWKS
   * and userinfo endpoint, its keys, and what this tab's session observed. The checks load on
   * first use. Undefined when no profile is selected.
   */
  audit(): Promise<AuditReport | undefined>
}

/** What the audit needs from the session. */
export interface AuditActionsContext {
  getState(): SessionState
  /** Registers a listener for every state change, from the start, so refreshes are seen. */
  subscribe(listener: (state: SessionState) => void): void
  store: KeyValueStore
  /** The session's fetch (with its timeout); the audit's own requests are GETs without a token. */
  fetch: typeof fetch
  now(): number
  /** The page's origin, which a provider's CORS rule must allow. */
  appOrigin: string
}

/**
 * Creates the audit action and starts watching the session for refresh token rotation: only a
 * fingerprint of the refresh token is kept between two states, never the token.
 */
export function createAuditActions(ctx: AuditActionsContext): AuditActions {
  let rotation: RotationMemory = NO_ROTATION_SEEN
  ctx.subscribe((state) => {
    rotation = observeRotation(rotation, state)
  })
  return {
    async audit() {
      const state = ctx.getState()
      const profile = state.profiles.find((entry) => entry.profile.id === state.selectedId)?.profile
      if (profile === undefined) return undefined
      const { runAudit } = await import('./audit/run')
      return runAudit(profile, {
        fetch: ctx.fetch,
        now: () => ctx.now(),
        // Afresh: the user may just have changed the provider's settings.
        resolve: () =>
          resolveEndpoints(profile, ctx.store, { fetch: ctx.fetch, now: ctx.now(), fresh: true }),
        state,
        rotation: rotation.tallies[profile.id],
        appOrigin: ctx.appOrigin,
      })
    },
  }
}
