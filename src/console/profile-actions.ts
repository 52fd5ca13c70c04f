import type * as oauth from 'oauth4webapi'
import {
  discover,
  AppError,
  toAppError,
  serverFingerprint,
  wantsOpenId,
  ENDPOINT_FIELDS,
  type ListedProfile,
  type Profile,
  endpointProblem,
  validateProfile,
  type KeyValueStore,
  deleteTokens,
  forgetDiscoveries,
  forgetMetadata,
  type DiscoveryMemory,
} from '../core/tools'
import { labelProblem } from './profiles/describe'
import { importProfiles, parseProfilesText } from './profiles/import'
import { deleteSavedProfile, saveProfile } from './profiles/saved'
import { loadCatalog } from './profiles'
import type { Alert, SessionState } from './state'
import { alertContent } from './alerts'

/** An error shown next to the control that caused it (the form), not in the page's list. */
export type InlineAlert = Omit<Alert, 'id'>

/** The outcome of saving the profile form: the saved profile, or every problem, by field. */
export type SaveOutcome = { ok: true; profile: Profile } | { ok: false; problems: string[] }

/** The outcome of the form's Discover button. */
export type DiscoverOutcome =
  { ok: true; metadata: oauth.AuthorizationServer } | { ok: false; alert: InlineAlert }

/** A listed profile an import would point at another server, or protect otherwise. */
export interface ServerChange {
  id: string
  /** The listed profile's name. */
  name: string
  /**
   * The fields whose values differ: server fields (`issuer`, `token_endpoint`, `client_id`, …)
   * and protection fields (`pkce`, `par`, `dpop`, `verification_keys`).
   */
  fields: string[]
  /** The profile would point at another server: its tokens in this browser are forgotten. */
  moves: boolean
}

/**
 * What an import did; each refused entry is also an alert of its own. With `replaces` non-empty,
 * nothing was imported: the user must confirm (import again with `replace: true`).
 */
export interface ImportOutcome {
  imported: Profile[]
  refused: number
  warnings: string[]
  replaces: ServerChange[]
}

/** Profile management, as the session exposes it to the UI. */
export interface ProfileActions {
  /**
   * Validates and saves a profile as the user's own, then selects it. Without `replace`, an id
   * already listed is refused (a new profile never silently replaces another).
   */
  saveProfile(input: unknown, options?: { replace?: boolean }): Promise<SaveOutcome>
  /**
   * Imports a profiles document; refused entries become alerts, the valid ones are saved. Without
   * `replace`, an import that would point a listed profile at another server, or change how it is
   * protected (PKCE, PAR, DPoP, verification keys), saves nothing and lists those in `replaces`.
   */
  importProfiles(text: string, options?: { replace?: boolean }): Promise<ImportOutcome>
  /**
   * Deletes the user's profile `id`; a site or built-in original it replaced comes back. Its tokens
   * go too, unless that original talks to the same server.
   */
  deleteProfile(id: string): Promise<void>
  /** Fetches an issuer's metadata for the form; never throws. */
  discoverMetadata(issuer: string): Promise<DiscoverOutcome>
}

/** What the profile actions need from the session. */
export interface ProfileActionsContext {
  store: KeyValueStore
  providersUrl: URL
  fetch: typeof fetch
  /** The session's remembered discoveries: the Discover button asks again. */
  discoveries: DiscoveryMemory
  getState(): SessionState
  update(patch: Partial<SessionState>): void
  select(profileId: string): Promise<void>
  alert(cause: unknown, step: string): void
  /** Tells the app's other tabs that the saved profiles changed, so they list them anew. */
  announce?: () => void
}

/** True when tokens issued under profile `a` may be sent under `b` (`serverFingerprint`). */
function sameServer(a: Profile, b: Profile): boolean {
  return serverFingerprint(a) === serverFingerprint(b)
}

/** The server fields an import confirmation names; whether the server moves is `sameServer`. */
const SERVER_FIELDS = [...ENDPOINT_FIELDS, 'discovery', 'client_id', 'requests'] as const

/**
 * How a profile's logins and tokens are protected or checked. A file that turns DPoP or PKCE off,
 * drops `openid` from the scope (no nonce, no ID token check), or brings its own verification
 * keys (which would make forged tokens read "Signature verified") is confirmed like one that
 * moves the profile, even on the same server.
 */
const PROTECTION_FIELDS = {
  // Without openid in the scope there is no nonce and no ID token to check.
  scope: (profile: Profile) => wantsOpenId(profile.scope),
  pkce: (profile: Profile) => profile.pkce,
  par: (profile: Profile) => profile.par === true,
  dpop: (profile: Profile) => profile.dpop === true,
  verification_keys: (profile: Profile) => JSON.stringify(profile.verification_keys ?? []),
}

/** What an import would change that the user must confirm; undefined when nothing. */
function confirmedChange(a: Profile, b: Profile): Omit<ServerChange, 'id' | 'name'> | undefined {
  const moves = !sameServer(a, b)
  const fields = [
    ...(moves
      ? SERVER_FIELDS.filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]))
      : []),
    ...Object.entries(PROTECTION_FIELDS)
      .filter(([, value]) => value(a) !== value(b))
      .map(([field]) => field),
  ]
  if (fields.length === 0 && !moves) return undefined
  return { fields: fields.length > 0 ? fields : ['server'], moves }
}

/** Creates the profile actions over the session's state and store. */
export function createProfileActions(ctx: ProfileActionsContext): ProfileActions {
  // providers.json sits next to the page: its origin is the page's.
  const alertContext = { origin: ctx.providersUrl.origin }
  const listed = (id: string): ListedProfile | undefined =>
    ctx.getState().profiles.find((entry) => entry.profile.id === id)

  // Tokens belong to the server that issued them: when a saved profile points elsewhere (another
  // issuer, endpoint, client or API URL), its old tokens must never be sent there, so they go.
  const forgetIfMoved = async (before: ListedProfile | undefined, after: Profile) => {
    if (before === undefined || sameServer(before.profile, after)) return
    await deleteTokens(ctx.store, after.id)
    await forgetMetadata(ctx.store, after.id)
  }

  const refreshCatalog = async () => {
    const catalog = await loadCatalog(ctx.store, ctx.providersUrl, ctx.fetch)
    ctx.update({
      profiles: catalog.listed,
      refused: [...catalog.site.refused, ...catalog.userDoc.refused],
      warnings: [...catalog.site.warnings, ...catalog.userDoc.warnings],
    })
    ctx.announce?.()
  }

  return {
    async saveProfile(input, options = {}) {
      const result = validateProfile(input)
      if (!result.ok) return { ok: false, problems: result.errors.map(labelProblem) }
      const profile = result.profile
      const before = listed(profile.id)
      if (before !== undefined && options.replace !== true) {
        const problem = `"id" "${profile.id}" is already used by the profile "${before.profile.name}"; choose another ID, or use Edit profile`
        return { ok: false, problems: [labelProblem(problem)] }
      }
      try {
        await saveProfile(ctx.store, profile)
        await forgetIfMoved(before, profile)
      } catch (cause) {
        return { ok: false, problems: [`The profile could not be saved: ${String(cause)}`] }
      }
      await refreshCatalog()
      await ctx.select(profile.id)
      return { ok: true, profile }
    },

    async importProfiles(text, options = {}) {
      const before = new Map(ctx.getState().profiles.map((entry) => [entry.profile.id, entry]))
      if (options.replace !== true) {
        // A file must not silently move a listed profile (and its login) to another server, nor
        // weaken how it is protected.
        const replaces = parseProfilesText(text).profiles.flatMap((profile) => {
          const listedBefore = before.get(profile.id)
          const change = listedBefore && confirmedChange(listedBefore.profile, profile)
          return listedBefore && change
            ? [{ id: profile.id, name: listedBefore.profile.name, ...change }]
            : []
        })
        if (replaces.length > 0) return { imported: [], refused: 0, warnings: [], replaces }
      }
      let doc
      try {
        doc = await importProfiles(ctx.store, text)
      } catch (cause) {
        ctx.alert(
          new AppError('invalid_profile', `The profiles could not be saved: ${String(cause)}`, {
            cause,
            detail: { step: 'import' },
          }),
          'import',
        )
        return { imported: [], refused: 0, warnings: [], replaces: [] }
      }
      for (const refused of doc.refused) {
        const which =
          refused.id === undefined ? 'An imported entry' : `The imported profile "${refused.id}"`
        ctx.alert(
          new AppError(
            'invalid_profile',
            `${which} was refused: ${refused.errors.map(labelProblem).join('; ')}.`,
            { detail: { step: 'import', imported: doc.profiles.length } },
          ),
          'import',
        )
      }
      for (const profile of doc.profiles) await forgetIfMoved(before.get(profile.id), profile)
      if (doc.profiles.length > 0) {
        await refreshCatalog()
        const selected = ctx.getState().selectedId
        const next = selected ?? doc.profiles[0]?.id
        // Re-selecting reloads the tokens shown, which an import may have forgotten.
        if (next !== undefined) await ctx.select(next)
      }
      return {
        imported: doc.profiles,
        refused: doc.refused.length,
        warnings: doc.warnings,
        replaces: [],
      }
    },

    async deleteProfile(id) {
      const before = listed(id)
      if (before?.source !== 'user') return
      await deleteSavedProfile(ctx.store, id)
      await refreshCatalog()
      const original = listed(id)
      // The tokens stay only when the original that comes back talks to the same server.
      if (original === undefined) {
        await deleteTokens(ctx.store, id)
        await forgetMetadata(ctx.store, id)
      } else {
        await forgetIfMoved(before, original.profile)
      }
      const state = ctx.getState()
      const stillListed = (candidate: string | undefined) =>
        candidate !== undefined && listed(candidate) !== undefined ? candidate : undefined
      const next = stillListed(state.selectedId) ?? state.profiles[0]?.profile.id
      if (next !== undefined) await ctx.select(next)
      else ctx.update({ selectedId: undefined, tokens: undefined })
    },

    async discoverMetadata(issuer) {
      const problem = endpointProblem(issuer.trim())
      if (problem !== undefined) {
        const error = new AppError('invalid_profile', labelProblem(`"issuer" ${problem}`), {
          detail: { field: 'issuer' },
        })
        return { ok: false, alert: alertContent(error, alertContext) }
      }
      // The user asked again: the next action that needs the endpoints asks the provider too.
      forgetDiscoveries(ctx.discoveries, issuer.trim())
      try {
        return { ok: true, metadata: await discover(issuer.trim(), ctx.fetch) }
      } catch (cause) {
        return {
          ok: false,
          alert: alertContent(toAppError(cause, 'discovery request'), alertContext),
        }
      }
    },
  }
}
