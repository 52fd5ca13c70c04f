import { inheritedPresetValues, isPresetId } from './presets'
import { ENDPOINT_FIELDS, FIELD_LABELS, type Profile, type RequestPreset } from './types'
import { changesResponse, endpointProblem, isReservedParam } from './url-rule'

/** The outcome of {@link validateProfile}: a usable profile, or every problem found. */
export type ProfileValidation =
  | { ok: true; profile: Profile; warnings: string[] }
  | { ok: false; id: string | undefined; errors: string[]; warnings: string[] }

const KNOWN_FIELDS = new Set(Object.keys(FIELD_LABELS))
const ID_PATTERN = /^[a-z0-9-]+$/

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringMap(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string')
}

function checkRequests(value: unknown, errors: string[]): RequestPreset[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) {
    errors.push('"requests" must be a list of { name, method, url } objects')
    return undefined
  }
  value.forEach((entry: unknown, index) => {
    const where = `"requests[${String(index)}]"`
    if (!isRecord(entry)) {
      errors.push(`${where} must be an object`)
      return
    }
    if (typeof entry.name !== 'string' || entry.name === '')
      errors.push(`${where}.name is required`)
    if (typeof entry.method !== 'string' || !METHODS.has(entry.method.toUpperCase()))
      errors.push(`${where}.method must be one of ${[...METHODS].join(', ')}`)
    const problem = endpointProblem(entry.url)
    if (problem) errors.push(`${where}.url ${problem}`)
    if (entry.headers !== undefined && !stringMap(entry.headers))
      errors.push(`${where}.headers must map names to strings`)
    if (entry.body !== undefined && typeof entry.body !== 'string')
      errors.push(`${where}.body must be a string`)
  })
  return value as RequestPreset[]
}

function checkKeys(value: unknown, errors: string[]): void {
  if (value === undefined) return
  const ok =
    Array.isArray(value) &&
    value.every(
      (key: unknown) =>
        (typeof key === 'string' && key.includes('-----BEGIN PUBLIC KEY-----')) ||
        (isRecord(key) && typeof key.kty === 'string'),
    )
  if (!ok) errors.push('"verification_keys" must be a list of PEM public keys or JWK objects')
}

/**
 * Validates a profile as written in `providers.json`, the import dialog or the profile form, after
 * applying its `preset`. Never throws: every problem is returned as a sentence naming the field.
 */
export function validateProfile(input: unknown): ProfileValidation {
  const errors: string[] = []
  const warnings: string[] = []
  if (!isRecord(input)) {
    return { ok: false, id: undefined, errors: ['a profile must be a JSON object'], warnings }
  }
  const id = typeof input.id === 'string' ? input.id : undefined
  let merged: Record<string, unknown> = { ...input }
  if (input.preset !== undefined) {
    if (isPresetId(input.preset))
      merged = { ...inheritedPresetValues(input.preset, input), ...input }
    else
      errors.push(
        `"preset" must be "nexus-mods" or "mynickname", not ${JSON.stringify(input.preset)}`,
      )
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key)) warnings.push(`unknown field "${key}" is ignored`)
  }

  if (id === undefined || !ID_PATTERN.test(id)) errors.push('"id" must match [a-z0-9-]+')
  if (typeof merged.name !== 'string' || merged.name.trim() === '') merged.name = id ?? 'Unnamed'
  if (typeof merged.client_id !== 'string' || merged.client_id === '')
    errors.push('"client_id" is required (the Client ID your provider registered)')
  if (merged.client_secret !== undefined && typeof merged.client_secret !== 'string')
    errors.push('"client_secret" must be a string')
  if (merged.scope === undefined) merged.scope = ''
  if (typeof merged.scope !== 'string') errors.push('"scope" must be a space-delimited string')
  if (merged.pkce === undefined) merged.pkce = true
  if (typeof merged.pkce !== 'boolean') errors.push('"pkce" must be true or false')
  if (merged.pkce === false && typeof merged.client_secret !== 'string')
    errors.push('"pkce": false is only allowed with a "client_secret" (the secret-based flow)')
  if (merged.discovery !== undefined && typeof merged.discovery !== 'boolean')
    errors.push('"discovery" must be true or false')
  for (const flag of ['dpop', 'par'] as const) {
    if (merged[flag] !== undefined && typeof merged[flag] !== 'boolean')
      errors.push(`"${flag}" must be true or false`)
  }
  if (merged.authorization_params !== undefined && !stringMap(merged.authorization_params))
    errors.push('"authorization_params" must map parameter names to strings')
  else if (merged.authorization_params !== undefined) {
    for (const name of Object.keys(merged.authorization_params)) {
      if (isReservedParam(name))
        errors.push(
          `"authorization_params" may not set "${name}": the app sets it, or it changes how the response comes back`,
        )
    }
  }

  for (const field of ENDPOINT_FIELDS) {
    if (merged[field] === undefined) continue
    const problem = endpointProblem(merged[field])
    if (problem) errors.push(`"${field}" ${problem}`)
    else if (field === 'authorization_endpoint') {
      // Its own query is sent with every login (minus the names the app sets itself), so one
      // that would change where the response goes is refused.
      const changing = [...new URL(merged[field] as string).searchParams.keys()].filter(
        changesResponse,
      )
      for (const name of new Set(changing))
        errors.push(
          `"authorization_endpoint" may not carry "${name}" in its query: it changes how the response comes back`,
        )
    }
  }
  const discovers = merged.discovery === true
  if (discovers && merged.issuer === undefined) errors.push('"discovery": true needs an "issuer"')
  if (!discovers) {
    for (const field of ['authorization_endpoint', 'token_endpoint'] as const) {
      if (merged[field] === undefined)
        errors.push(`"${field}" is required unless "discovery" is true with an "issuer"`)
    }
  }
  checkKeys(merged.verification_keys, errors)
  checkRequests(merged.requests, errors)

  if (errors.length > 0) return { ok: false, id, errors, warnings }
  // Known fields only: an ignored (misspelled) field must not be stored or exported either.
  const known = Object.entries(merged).filter(([key]) => KNOWN_FIELDS.has(key))
  return { ok: true, profile: Object.fromEntries(known) as unknown as Profile, warnings }
}
