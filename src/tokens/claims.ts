/** One row of a claims table: a dotted claim name and its value, with a time when it is one. */
export interface ClaimRow {
  name: string
  value: unknown
  /** Seconds since the epoch, for claims that are times. */
  time?: number
  /** One line saying what the claim means, when it is a known claim. */
  description?: string
}

/** Claims (dotted paths) holding NumericDate values (RFC 7519 §2). */
const TIME_CLAIMS = new Set([
  'exp',
  'iat',
  'nbf',
  'auth_time',
  'updated_at',
  'user.joined',
  'user.premium_expiry',
])

/** One-line descriptions: RFC 7519, OIDC Core §2 and §5.1, RFC 9068, Nexus Mods. */
export const CLAIM_DESCRIPTIONS: Record<string, string> = {
  iss: 'Issuer: who created and signed this token',
  sub: 'Subject: the user (or client) the token is about',
  aud: 'Audience: who the token is meant for',
  exp: 'Expiration time: not valid on or after this time',
  nbf: 'Not before: not valid before this time',
  iat: 'Issued at: when the token was created',
  jti: 'JWT ID: unique identifier of this token',
  azp: 'Authorized party: the client the ID token was issued to',
  nonce: 'Nonce: binds the ID token to the login request',
  auth_time: 'When the user last authenticated',
  acr: 'Authentication context class reference',
  amr: 'Authentication methods used',
  at_hash: 'Access token hash: binds the ID token to the access token',
  c_hash: 'Code hash: binds the ID token to the authorization code',
  sid: 'Session ID at the provider',
  client_id: 'The client the access token was issued to (RFC 9068)',
  scope: 'Scopes granted to the access token',
  name: 'Full name',
  given_name: 'Given name',
  family_name: 'Family name',
  nickname: 'Casual name',
  preferred_username: 'Preferred username',
  email: 'Email address',
  email_verified: 'Whether the email address was verified',
  picture: 'Profile picture URL',
  locale: 'Locale',
  zoneinfo: 'Time zone',
  updated_at: "When the user's information was last updated",
  application_id: 'Nexus Mods: the application the token was issued to',
  user: "Nexus Mods: the user's account",
  'user.id': 'Nexus Mods: numeric user id',
  'user.username': 'Nexus Mods: username',
  'user.group_id': 'Nexus Mods: primary user group',
  'user.joined': 'Nexus Mods: when the user joined',
  'user.membership_roles': 'Nexus Mods: membership roles (member, supporter, premium, …)',
  'user.other_group_ids': 'Nexus Mods: other user groups',
  'user.permissions': 'Nexus Mods: permissions',
  'user.premium_expiry': 'Nexus Mods: when premium ends (0 = no premium)',
}

const MAX_DEPTH = 6

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Flattens a claims object into rows, nested objects as dotted paths (`user.username`); arrays and
 * anything nested deeper than a few levels stay whole values.
 */
export function claimRows(claims: Record<string, unknown>): ClaimRow[] {
  const rows: ClaimRow[] = []
  const walk = (object: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [key, value] of Object.entries(object)) {
      const name = prefix + key
      if (isPlainObject(value) && Object.keys(value).length > 0 && depth < MAX_DEPTH) {
        walk(value, `${name}.`, depth + 1)
        continue
      }
      const row: ClaimRow = { name, value }
      if (
        TIME_CLAIMS.has(name) &&
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value > 0
      ) {
        row.time = value
      }
      const description = CLAIM_DESCRIPTIONS[name]
      if (description !== undefined) row.description = description
      rows.push(row)
    }
  }
  walk(claims, '', 0)
  return rows
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]

/** "in 5 hours", "3 days ago": the largest whole unit of the distance from `now` (both in ms). */
export function relativeTime(at: number, now: number, locale?: string): string {
  const seconds = Math.round((at - now) / 1000)
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second')
      return format.format(Math.trunc(seconds / size), unit)
  }
  return format.format(0, 'second')
}

/** Renders any claim value as display text (strings as they are, the rest as JSON). */
export function claimText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
