import { inheritedPresetValues, type PresetId, type Profile } from '../../core/tools'

/** Fields the form edits as one line of text (URLs, ids, names). */
const LINE_FIELDS = [
  'id',
  'name',
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'refresh_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'end_session_endpoint',
  'jwks_uri',
  'client_id',
  'client_secret',
  'redirect_uri',
] as const

type LineField = (typeof LINE_FIELDS)[number]

/** Endpoint fields that discovery metadata (RFC 8414 §2) can fill. */
export const DISCOVERABLE_FIELDS = [
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'end_session_endpoint',
  'jwks_uri',
] as const

/**
 * The profile form's values: text exactly as typed. JSON-valued fields (`verification_keys`,
 * `authorization_params`, `requests`) are edited as text and parsed on save.
 */
export type ProfileFormValues = Record<LineField, string> & {
  preset: PresetId | ''
  discovery: boolean
  scope: string
  pkce: boolean
  dpop: boolean
  par: boolean
  verification_keys: string
  authorization_params: string
  requests: string
}

/** The values of a new, empty profile: PKCE on, discovery off. */
export function emptyFormValues(): ProfileFormValues {
  const lines = Object.fromEntries(LINE_FIELDS.map((field) => [field, ''])) as Record<
    LineField,
    string
  >
  return {
    ...lines,
    preset: '',
    discovery: false,
    scope: '',
    pkce: true,
    dpop: false,
    par: false,
    verification_keys: '',
    authorization_params: '',
    requests: '',
  }
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g

/** Keys as the textarea shows them: PEM blocks one after another, else a JSON list. */
function keysText(keys: Profile['verification_keys']): string {
  if (keys === undefined || keys.length === 0) return ''
  if (keys.every((key) => typeof key === 'string')) return keys.map((k) => k.trim()).join('\n\n')
  return JSON.stringify(keys, null, 2)
}

const jsonText = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2))

/** A profile (or a preset's values) as form values. */
export function formValuesOf(profile: Partial<Profile>): ProfileFormValues {
  const values = emptyFormValues()
  for (const field of LINE_FIELDS) values[field] = profile[field] ?? ''
  return {
    ...values,
    preset: profile.preset ?? '',
    discovery: profile.discovery ?? false,
    scope: profile.scope ?? '',
    pkce: profile.pkce ?? true,
    dpop: profile.dpop ?? false,
    par: profile.par ?? false,
    verification_keys: keysText(profile.verification_keys),
    authorization_params: jsonText(profile.authorization_params),
    requests: jsonText(profile.requests),
  }
}

/**
 * Fills the empty fields with a preset's values, so the form shows what the preset means; fields
 * the user typed stay as they are. A form that already names its own server is filled only with
 * what the profile would inherit (see `inheritedPresetValues`), never the real provider's URLs.
 */
export function applyPreset(values: ProfileFormValues, preset: PresetId | ''): ProfileFormValues {
  if (preset === '') return { ...values, preset }
  const presetValues = formValuesOf(inheritedPresetValues(preset, profileInputOf(values).input))
  const filled = { ...values, preset, discovery: presetValues.discovery, pkce: presetValues.pkce }
  for (const field of [...LINE_FIELDS, 'scope', 'verification_keys', 'requests'] as const) {
    if (filled[field].trim() === '') filled[field] = presetValues[field]
  }
  return filled
}

/** Copies the endpoints found in discovered metadata into the form, replacing what was there. */
export function withDiscovered(
  values: ProfileFormValues,
  metadata: Partial<Record<string, unknown>>,
): ProfileFormValues {
  const next = { ...values }
  for (const field of DISCOVERABLE_FIELDS) {
    const value = metadata[field]
    if (typeof value === 'string') next[field] = value
  }
  return next
}

function parseKeys(text: string, problems: string[]): unknown {
  if (text === '') return undefined
  if (text.startsWith('[') || text.startsWith('{')) {
    const json = parseJson(text, 'verification_keys', problems)
    if (Array.isArray(json) || json === undefined) return json
    const keys = (json as { keys?: unknown }).keys
    return Array.isArray(keys) ? keys : [json]
  }
  const blocks = text.match(PEM_BLOCK) ?? []
  if (blocks.length === 0 || text.replace(PEM_BLOCK, '').trim() !== '') {
    problems.push(
      '"verification_keys" must be PEM public keys (-----BEGIN PUBLIC KEY----- blocks) or JWK JSON',
    )
    return undefined
  }
  return blocks.map((block) => `${block}\n`)
}

function parseJson(text: string, field: string, problems: string[]): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    problems.push(`"${field}" is not valid JSON (${reason})`)
    return undefined
  }
}

/**
 * Turns form values into a profile draft for `validateProfile`: text is trimmed, empty optional
 * fields are left out (so a preset's value applies), JSON fields are parsed. `problems` lists what
 * could not be read, in the validator's words.
 */
export function profileInputOf(values: ProfileFormValues): {
  input: Record<string, unknown>
  problems: string[]
} {
  const problems: string[] = []
  const input: Record<string, unknown> = {}
  for (const field of LINE_FIELDS) {
    const value = values[field].trim()
    if (value !== '') input[field] = value
  }
  if (values.preset !== '') input.preset = values.preset
  input.discovery = values.discovery
  input.pkce = values.pkce
  // Written only when on: a profile saved from the form reads as one written by hand.
  if (values.dpop) input.dpop = true
  if (values.par) input.par = true
  input.scope = values.scope.trim().split(/\s+/).filter(Boolean).join(' ')
  const keys = parseKeys(values.verification_keys.trim(), problems)
  if (keys !== undefined) input.verification_keys = keys
  for (const field of ['authorization_params', 'requests'] as const) {
    const value = parseJson(values[field].trim(), field, problems)
    if (value !== undefined) input[field] = value
  }
  return { input, problems }
}
