import {
  builtinProfileDrafts,
  type ListedProfile,
  type Profile,
  validateProfile,
  type KeyValueStore,
} from '../core/tools'
import {
  loadProvidersFile,
  parseProfilesDocument,
  type ProfilesDocument,
} from './profiles/providers-file'
import { loadSavedProfiles } from './profiles/saved'

/** All profiles the picker lists: the site's, then the user's, then the built-in presets. */
export interface ProfileCatalog {
  listed: ListedProfile[]
  site: ProfilesDocument
  userDoc: ProfilesDocument
}

/**
 * Loads every profile source. A site operator's profile named `nexus-mods` replaces the built-in
 * one; a profile the user saved (edited or imported) with the id of a site or built-in profile
 * takes that profile's place in the list, so "Edit profile" always has a visible effect and
 * deleting the user's copy brings the original back. `started`: the site's file, already being
 * fetched (start-up begins that before IndexedDB is open).
 */
export async function loadCatalog(
  store: KeyValueStore,
  providersUrl: URL,
  fetchImpl: typeof fetch,
  started?: Promise<ProfilesDocument>,
): Promise<ProfileCatalog> {
  const [site, saved] = await Promise.all([
    started ?? loadProvidersFile(providersUrl, fetchImpl),
    loadSavedProfiles(store),
  ])
  const userDoc = parseProfilesDocument(saved, 'saved profiles')
  const own = new Map(userDoc.profiles.map((profile) => [profile.id, profile]))
  const listed: ListedProfile[] = []
  const seen = new Set<string>()
  const add = (profile: Profile, source: ListedProfile['source']) => {
    if (seen.has(profile.id)) return
    seen.add(profile.id)
    const copy = own.get(profile.id)
    listed.push(
      copy && source !== 'user'
        ? { profile: copy, source: 'user', overrides: source }
        : { profile, source },
    )
  }
  const builtins = builtinProfileDrafts().flatMap((draft) => {
    // A built-in preset may lack a client id (MyNickname): listed anyway, login explains.
    const result = validateProfile({ ...draft, client_id: draft.client_id || 'unset' })
    return result.ok ? [{ ...result.profile, client_id: String(draft.client_id) }] : []
  })
  const builtinIds = new Set(builtins.map((profile) => profile.id))
  for (const profile of site.profiles) add(profile, 'site')
  // A user's copy of a built-in waits for the built-in's place below.
  for (const profile of userDoc.profiles) if (!builtinIds.has(profile.id)) add(profile, 'user')
  for (const profile of builtins) add(profile, 'builtin')
  return { listed, site, userDoc }
}
