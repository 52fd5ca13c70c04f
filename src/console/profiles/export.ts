import type { ListedProfile, Profile } from '../../core/tools'

/** The file name offered for an export download. */
export const EXPORT_FILE_NAME = 'pkce-console-profiles.json'

/** An export: the document as text, and how many client secrets were left out of it. */
export interface ProfilesExport {
  json: string
  count: number
  secretsOmitted: number
}

/**
 * Writes the site's and the user's profiles (each as currently in effect, so a user's copy
 * replaces the profile it shadows) as a profiles document `{ "profiles": [ ... ] }` that the import
 * dialog and `providers.json` both read. Built-in presets are not exported: every copy of the app
 * has them.
 *
 * A `client_secret` is left out unless `includeSecrets` is true: an export is a file that travels
 * (mail, chat, repositories), and it must not carry a secret the user did not choose to send.
 */
export function exportProfiles(listed: ListedProfile[], includeSecrets: boolean): ProfilesExport {
  let secretsOmitted = 0
  const profiles: Profile[] = listed
    .filter((entry) => entry.source !== 'builtin')
    .map(({ profile }) => {
      if (includeSecrets || profile.client_secret === undefined) return profile
      secretsOmitted++
      const copy = { ...profile }
      delete copy.client_secret
      return copy
    })
  return {
    json: JSON.stringify({ profiles }, null, 2) + '\n',
    count: profiles.length,
    secretsOmitted,
  }
}
