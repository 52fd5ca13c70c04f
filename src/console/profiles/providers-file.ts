import { validateProfile, type Profile } from '../../core/tools'

/** A profile refused at start-up, reported in the UI while the others stay usable. */
export interface RefusedProfile {
  id: string | undefined
  errors: string[]
  /** Where the entry came from, for the message: `providers.json`, `saved profiles`, … */
  source: string
}

/** What a `providers.json` (or an imported profiles document) yields. */
export interface ProfilesDocument {
  profiles: Profile[]
  refused: RefusedProfile[]
  warnings: string[]
  default: string | undefined
}

/**
 * Parses a profiles document: `{ "profiles": [ ... ], "default": "<id>" }` or a bare list.
 * Each entry is validated on its own, so one bad entry never hides the good ones.
 */
export function parseProfilesDocument(json: unknown, source: string): ProfilesDocument {
  const doc: ProfilesDocument = { profiles: [], refused: [], warnings: [], default: undefined }
  const list = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && 'profiles' in json
      ? json.profiles
      : undefined
  if (!Array.isArray(list)) {
    doc.refused.push({
      id: undefined,
      errors: [`${source} must hold { "profiles": [ ... ] }`],
      source,
    })
    return doc
  }
  const seen = new Set<string>()
  for (const entry of list) {
    const result = validateProfile(entry)
    const label = result.ok ? result.profile.id : (result.id ?? '(no id)')
    doc.warnings.push(...result.warnings.map((w) => `${source}, profile "${label}": ${w}`))
    if (!result.ok) {
      doc.refused.push({ id: result.id, errors: result.errors, source })
    } else if (seen.has(result.profile.id)) {
      doc.refused.push({ id: result.profile.id, errors: ['the same "id" appears twice'], source })
    } else {
      seen.add(result.profile.id)
      doc.profiles.push(result.profile)
    }
  }
  const wanted = (json as { default?: unknown }).default
  if (typeof wanted === 'string') doc.default = wanted
  return doc
}

/**
 * Loads the site's `providers.json` next to `index.html`. A missing file (404) is normal and
 * yields an empty document; a broken one is reported, never fatal.
 */
export async function loadProvidersFile(
  url: URL,
  fetchImpl: typeof fetch = fetch,
): Promise<ProfilesDocument> {
  const empty: ProfilesDocument = { profiles: [], refused: [], warnings: [], default: undefined }
  let response: Response
  try {
    response = await fetchImpl(url, { cache: 'no-cache', credentials: 'same-origin' })
  } catch (cause) {
    return {
      ...empty,
      refused: [
        {
          id: undefined,
          errors: [`providers.json could not be fetched: ${String(cause)}`],
          source: 'providers.json',
        },
      ],
    }
  }
  if (response.status === 404) return empty
  if (!response.ok) {
    return {
      ...empty,
      refused: [
        {
          id: undefined,
          errors: [`providers.json answered HTTP ${String(response.status)}`],
          source: 'providers.json',
        },
      ],
    }
  }
  let json: unknown
  try {
    json = await response.json()
  } catch {
    return {
      ...empty,
      refused: [
        { id: undefined, errors: ['providers.json is not valid JSON'], source: 'providers.json' },
      ],
    }
  }
  return parseProfilesDocument(json, 'providers.json')
}
