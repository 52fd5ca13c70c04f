import { ENDPOINT_FIELDS, type PresetId, type Profile } from './types'

/**
 * The Nexus Mods guide's RSA public key for access-token signatures. Kept next to the provider's
 * JWKS because a public client reports current tokens no longer verify with this 1024-bit key.
 */
export const NEXUS_MODS_PEM = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDhKHxCWOeUy38S3UOBOB11SNd/
wyL9TVvzxePkEsZb4fEVGp0U5MEcDcJgXUo/fZOYTUFMX7ipvCC7sbsyKpJ0xZ/M
l5zXMBcI03gu6p1TvG+eL0xEk6X8LD+t+GbzH9EY58bZ8kOLEx4lbAX3fNYhMhbh
HJra9ZVW2QdgHoDV6wIDAQAB
-----END PUBLIC KEY-----
`

/** Preset values; every field a profile gives overrides them. */
export type PresetValues = Omit<Profile, 'id' | 'client_id'> & { client_id?: string }

/**
 * Nexus Mods: PKCE public app, discovery with the guide's endpoints as fallback, empty default
 * scope (the guide sends `scope=''`), RS256 JWT access tokens.
 */
const nexusMods: PresetValues = {
  name: 'Nexus Mods',
  issuer: 'https://users.nexusmods.com',
  discovery: true,
  authorization_endpoint: 'https://users.nexusmods.com/oauth/authorize',
  token_endpoint: 'https://users.nexusmods.com/oauth/token',
  userinfo_endpoint: 'https://users.nexusmods.com/oauth/userinfo',
  revocation_endpoint: 'https://users.nexusmods.com/oauth/revoke',
  jwks_uri: 'https://users.nexusmods.com/oauth/discovery/keys',
  verification_keys: [NEXUS_MODS_PEM],
  scope: '',
  pkce: true,
  requests: [
    { name: 'Userinfo', method: 'GET', url: 'https://users.nexusmods.com/oauth/userinfo' },
    {
      name: 'v1 tracked mods',
      method: 'GET',
      url: 'https://api.nexusmods.com/v1/user/tracked_mods.json',
    },
    {
      name: 'v2 GraphQL: current user',
      method: 'POST',
      url: 'https://api.nexusmods.com/v2/graphql',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ currentUser { name memberId } }"}',
    },
  ],
}

/** MyNickname: authorization code with PKCE (or a client secret), refresh at its own endpoint. */
const myNickname: PresetValues = {
  name: 'MyNickname',
  authorization_endpoint: 'https://api.mynickname.com/oauth/authenticate',
  token_endpoint: 'https://api.mynickname.com/oauth/access_token',
  refresh_endpoint: 'https://api.mynickname.com/oauth/refresh_token',
  scope: 'basic email',
  pkce: true,
  requests: [
    { name: 'Nickname', method: 'GET', url: 'https://api.mynickname.com/v1/nickname' },
    { name: 'Nicknames', method: 'GET', url: 'https://api.mynickname.com/v1/nicknames' },
  ],
}

/** Built-in presets by id. */
export const PRESETS: Record<PresetId, PresetValues> = {
  'nexus-mods': nexusMods,
  mynickname: myNickname,
}

/** Fields that locate a server; `redirect_uri` is this app's own address, not the provider's. */
const SERVER_URL_FIELDS = ENDPOINT_FIELDS.filter((field) => field !== 'redirect_uri')

function originOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** The origins named by a profile's (or preset's) server fields. */
function serverOrigins(values: Record<string, unknown>): Set<string> {
  const origins = SERVER_URL_FIELDS.map((field) => originOf(values[field]))
  return new Set(origins.filter((origin) => origin !== undefined))
}

/**
 * The preset values a profile inherits. A profile that names only the preset (or the preset's
 * own hosts) gets everything. A profile that names its own server (an issuer or endpoint on a
 * host the preset does not use) gets only what is not tied to a host (name, scope, pkce; the
 * quirks keyed by `preset` stay on): the preset's URLs off the profile's issuer host (or, with no
 * issuer, off the hosts of its own endpoints), its `requests` there and
 * its `verification_keys` (the real provider's key, which verifies nothing another server signs)
 * are dropped, so neither a login nor a bearer token goes to the real provider (RFC 9700 §4.9).
 */
export function inheritedPresetValues(
  preset: PresetId,
  input: Record<string, unknown>,
): Partial<PresetValues> {
  const values = PRESETS[preset]
  const presetOrigins = serverOrigins(values)
  if (![...serverOrigins(input)].some((origin) => !presetOrigins.has(origin))) return values
  // The profile's server: its issuer's host, or (without one) the hosts of its own endpoints.
  const issuer = originOf(input.issuer)
  const own = issuer !== undefined ? new Set([issuer]) : serverOrigins(input)
  const kept: Partial<PresetValues> = Object.fromEntries(
    Object.entries(values).filter(([field, value]) =>
      field === 'verification_keys'
        ? false
        : !(SERVER_URL_FIELDS as readonly string[]).includes(field) ||
          own.has(originOf(value) ?? ''),
    ),
  )
  // Discovery needs an issuer: only the profile's own one means anything now.
  if (kept.issuer === undefined && input.issuer === undefined) delete kept.discovery
  const requests = kept.requests?.filter((request) => own.has(originOf(request.url) ?? ''))
  if (requests?.length) kept.requests = requests
  else delete kept.requests
  return kept
}

/** True when `value` names a built-in preset. */
export function isPresetId(value: unknown): value is PresetId {
  return typeof value === 'string' && Object.hasOwn(PRESETS, value)
}

/**
 * The built-in presets as listable profile drafts: Nexus uses the guide's example client id
 * `public_test`; MyNickname has none, so it must be edited before login.
 */
export function builtinProfileDrafts(): Record<string, unknown>[] {
  return [
    { id: 'nexus-mods', preset: 'nexus-mods', client_id: 'public_test' },
    { id: 'mynickname', preset: 'mynickname', client_id: '' },
  ]
}
