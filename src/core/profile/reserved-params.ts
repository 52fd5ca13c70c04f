/**
 * Authorize parameters the app owns (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC `nonce`) or that change
 * the response (`response_mode`, JAR `request`/`request_uri`, RFC 9101): one set by hand would
 * break the PKCE, state or nonce checks, or send the code where the app does not read it.
 */
const RESERVED_PARAMS = new Set([
  'response_type',
  'response_mode',
  'request',
  'request_uri',
  'redirect_uri',
  'state',
  'nonce',
  'client_id',
])

/**
 * Whether an authorization request parameter is the app's alone: it sets it itself, or the
 * parameter changes how the response comes back (`response_mode=form_post` would have the provider
 * POST the code to a static host) or replaces the request (`request`, `request_uri`).
 */
export function isReservedParam(name: string): boolean {
  const lower = name.toLowerCase()
  return RESERVED_PARAMS.has(lower) || lower.startsWith('code_challenge')
}

/**
 * The reserved parameters that change where or how the response comes back, refused in a
 * profile's authorization endpoint URL. The others (`client_id`, `state`, …) are harmless there:
 * the app sets its own over them, as URL builders such as Discord's copy them in.
 */
const RESPONSE_CHANGING = new Set(['response_mode', 'request', 'request_uri'])

export function changesResponse(name: string): boolean {
  return RESPONSE_CHANGING.has(name.toLowerCase())
}
