/** An API request preset shown in the API console. */
export interface RequestPreset {
  name: string
  method: string
  url: string
  headers?: Record<string, string>
  body?: string
}

/**
 * One provider configuration. Field names follow RFC 8414 metadata where one exists.
 *
 * @see ../../README.md "Profile format"
 */
export interface Profile {
  id: string
  name: string
  preset?: PresetId
  issuer?: string
  discovery?: boolean
  authorization_endpoint?: string
  token_endpoint?: string
  refresh_endpoint?: string
  revocation_endpoint?: string
  userinfo_endpoint?: string
  end_session_endpoint?: string
  jwks_uri?: string
  verification_keys?: (string | Record<string, unknown>)[]
  client_id: string
  client_secret?: string
  scope: string
  redirect_uri?: string
  pkce: boolean
  authorization_params?: Record<string, string>
  requests?: RequestPreset[]
  /** Bind tokens to a non-extractable key with DPoP (RFC 9449). Default `false`. */
  dpop?: boolean
  /**
   * Push the authorization request first (RFC 9126). Default `false`; on anyway when the
   * discovered metadata says `require_pushed_authorization_requests`.
   */
  par?: boolean
}

/** The built-in presets a profile may name in `preset`. */
export type PresetId = 'nexus-mods' | 'mynickname'

/** Where a profile came from; decides whether the user may edit or delete it. */
export type ProfileSource = 'builtin' | 'site' | 'user'

/** A profile as listed in the picker. */
export interface ListedProfile {
  profile: Profile
  source: ProfileSource
  /** Set when this is the user's saved copy of a site or built-in profile with the same id. */
  overrides?: Exclude<ProfileSource, 'user'>
}

/** The provider's endpoints a profile may name: what discovered metadata can stand in for. */
export const SERVER_ENDPOINT_FIELDS = [
  'authorization_endpoint',
  'token_endpoint',
  'refresh_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'end_session_endpoint',
  'jwks_uri',
] as const

/** Endpoint fields of a profile, all checked by the same URL rule. */
export const ENDPOINT_FIELDS = ['issuer', ...SERVER_ENDPOINT_FIELDS, 'redirect_uri'] as const

/** Human labels for profile fields; also the form's labels (ui-contract.md). */
export const FIELD_LABELS: Record<string, string> = {
  id: 'ID',
  name: 'Name',
  preset: 'Preset',
  issuer: 'Issuer',
  discovery: 'Discovery',
  authorization_endpoint: 'Authorization endpoint',
  token_endpoint: 'Token endpoint',
  refresh_endpoint: 'Refresh endpoint',
  revocation_endpoint: 'Revocation endpoint',
  userinfo_endpoint: 'Userinfo endpoint',
  end_session_endpoint: 'End session endpoint',
  jwks_uri: 'JWKS URI',
  verification_keys: 'Verification keys',
  client_id: 'Client ID',
  client_secret: 'Client secret',
  scope: 'Scope',
  redirect_uri: 'Redirect URI',
  pkce: 'PKCE',
  authorization_params: 'Authorization parameters',
  requests: 'Requests',
  dpop: 'DPoP',
  par: 'Pushed authorization requests',
}
