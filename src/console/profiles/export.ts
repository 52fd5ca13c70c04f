import { isSecretHeader, type ListedProfile, type Profile } from '../../core/tools'

/** The file name offered for an export download. */
export const EXPORT_FILE_NAME = 'pkce-console-profiles.json'

/**
 * An export: the document as text, and how many secrets were left out of it (client secrets, and
 * request headers such as `X-API-Key`).
 */
export interface ProfilesExport {
  json: string
  count: number
  secretsOmitted: number
}

/** `profile` without its secrets, and how many there were. */
function withoutSecrets(profile: Profile): { profile: Profile; omitted: number } {
  let omitted = 0
  const copy = { ...profile }
  if (copy.client_secret !== undefined) {
    delete copy.client_secret
    omitted++
  }
  if (copy.requests !== undefined) {
    copy.requests = copy.requests.map((request) => {
      if (request.headers === undefined) return request
      const kept = Object.entries(request.headers).filter(([name]) => !isSecretHeader(name))
      omitted += Object.keys(request.headers).length - kept.length
      return { ...request, headers: Object.fromEntries(kept) }
    })
  }
  return omitted > 0 ? { profile: copy, omitted } : { profile, omitted }
}

/**
 * Writes the site's and the user's profiles (each as currently in effect, so a user's copy
 * replaces the profile it shadows) as a profiles document `{ "profiles": [ ... ] }` that the import
 * dialog and `providers.json` both read. Built-in presets are not exported: every copy of the app
 * has them.
 *
 * A `client_secret`, and request headers named as credentials (`X-API-Key`, `Private-Token`, …),
 * are left out unless `includeSecrets` is true: an export is a file that travels (mail, chat,
 * repositories), and it must not carry a secret the user did not choose to send.
 */
export function exportProfiles(listed: ListedProfile[], includeSecrets: boolean): ProfilesExport {
  let secretsOmitted = 0
  const profiles: Profile[] = listed
    .filter((entry) => entry.source !== 'builtin')
    .map(({ profile }) => {
      if (includeSecrets) return profile
      const stripped = withoutSecrets(profile)
      secretsOmitted += stripped.omitted
      return stripped.profile
    })
  return {
    json: JSON.stringify({ profiles }, null, 2) + '\n',
    count: profiles.length,
    secretsOmitted,
  }
}
