import type { Profile } from './types'
import type { KeyValueStore } from '../storage/kv'

const KEY = 'profiles'

/** The user's own profiles, kept in IndexedDB next to (but apart from) tokens. */
export async function loadSavedProfiles(store: KeyValueStore): Promise<unknown[]> {
  const value = await store.get(KEY)
  return Array.isArray(value) ? (value as unknown[]) : []
}

/** Replaces the saved profile with the same id, or appends it. */
export async function saveProfile(store: KeyValueStore, profile: Profile): Promise<void> {
  const list = (await loadSavedProfiles(store)).filter(
    (p) => (p as { id?: unknown }).id !== profile.id,
  )
  await store.set(KEY, [...list, profile])
}
