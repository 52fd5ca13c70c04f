import type { Profile, KeyValueStore } from '../../core/tools'

const KEY = 'profiles'

const idOf = (entry: unknown): unknown => (entry as { id?: unknown } | null)?.id

/** The user's own profiles, kept in IndexedDB next to (but apart from) tokens. */
export async function loadSavedProfiles(store: KeyValueStore): Promise<unknown[]> {
  const value = await store.get(KEY)
  return Array.isArray(value) ? (value as unknown[]) : []
}

/**
 * Saves validated profiles in one write: each replaces the saved profile with the same id (in
 * its place), or is appended. One write, so an import is all or nothing.
 */
export async function saveProfiles(store: KeyValueStore, profiles: Profile[]): Promise<void> {
  const incoming = new Map(profiles.map((profile) => [profile.id, profile]))
  const list = (await loadSavedProfiles(store)).map((entry) => {
    const id = idOf(entry)
    const replacement = typeof id === 'string' ? incoming.get(id) : undefined
    if (replacement === undefined) return entry
    incoming.delete(replacement.id)
    return replacement
  })
  await store.set(KEY, [...list, ...incoming.values()])
}

/** Replaces the saved profile with the same id, or appends it. */
export async function saveProfile(store: KeyValueStore, profile: Profile): Promise<void> {
  await saveProfiles(store, [profile])
}

/** Removes the user's saved profile `id`; returns false when there was none. */
export async function deleteSavedProfile(store: KeyValueStore, id: string): Promise<boolean> {
  const list = await loadSavedProfiles(store)
  const kept = list.filter((entry) => idOf(entry) !== id)
  if (kept.length === list.length) return false
  await store.set(KEY, kept)
  return true
}
