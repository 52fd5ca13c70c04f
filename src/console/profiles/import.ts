import { parseProfilesDocument, type ProfilesDocument } from './providers-file'
import { saveProfiles } from './saved'
import type { KeyValueStore } from '../../core/tools'

/**
 * Reads pasted text as a profiles document (`{ "profiles": [ ... ] }` or a bare list), the same
 * format as `providers.json`. Never throws: text that is not JSON is one refused entry.
 */
export function parseProfilesText(text: string): ProfilesDocument {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return {
      profiles: [],
      refused: [
        {
          id: undefined,
          errors: [`the text is not valid JSON (${reason})`],
          source: 'the imported text',
        },
      ],
      warnings: [],
      default: undefined,
    }
  }
  const doc = parseProfilesDocument(json, 'the imported text')
  if (doc.profiles.length === 0 && doc.refused.length === 0)
    doc.refused.push({
      id: undefined,
      errors: ['the document holds no profiles'],
      source: 'the imported text',
    })
  return doc
}

/**
 * Imports profiles into the user's saved profiles: each valid entry is saved (replacing the
 * user's profile with the same id), each refused one is returned with its reasons and nothing of
 * it is saved. Site and built-in profiles are never changed; a saved profile with their id takes
 * their place in the list (see `loadCatalog`).
 */
export async function importProfiles(
  store: KeyValueStore,
  text: string,
): Promise<ProfilesDocument> {
  const doc = parseProfilesText(text)
  if (doc.profiles.length > 0) await saveProfiles(store, doc.profiles)
  return doc
}
