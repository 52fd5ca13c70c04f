/** Answer and callback fields that are credentials: never kept in an error. */
const CREDENTIAL_FIELDS = ['access_token', 'refresh_token', 'id_token', 'code', 'device_code']
const REDACTED = '[redacted]'

/** A plain JSON-like object (not an array, an Error or a Response), which is copied to mask. */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

/**
 * Masks the credentials oauth4webapi keeps in an error's `cause`: the token answer's `body` (a
 * refresh answer refused for its `token_type` still carries the rotated refresh token), the
 * token it failed on (a compact JWS or JWE, passed as a bare string), and the callback's `code`.
 * An app that logs errors or sends them to an error tracker (which serializes `cause`) must not
 * ship live tokens with them. Claims and headers of a refused ID token are kept: they say what
 * failed. Causes of other shapes (a challenge list, an Error, a Response) are left as they are.
 */
export function redactCause(error: Error): void {
  const inner: unknown = error.cause
  let redacted: unknown = inner
  if (typeof inner === 'string') redacted = REDACTED
  else if (inner instanceof URLSearchParams) redacted = maskParams(inner)
  else if (isPlainObject(inner)) {
    const copy = { ...inner }
    if (isPlainObject(copy.body)) copy.body = maskFields(copy.body)
    if (typeof copy.jwt === 'string') copy.jwt = REDACTED
    if (copy.parameters instanceof URLSearchParams) copy.parameters = maskParams(copy.parameters)
    redacted = copy
  }
  if (redacted !== inner) {
    Object.defineProperty(error, 'cause', { value: redacted, writable: true, configurable: true })
  }
}

function maskFields(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body }
  for (const name of CREDENTIAL_FIELDS) if (name in copy) copy[name] = REDACTED
  return copy
}

function maskParams(params: URLSearchParams): URLSearchParams {
  const copy = new URLSearchParams(params)
  for (const name of CREDENTIAL_FIELDS) if (copy.has(name)) copy.set(name, REDACTED)
  return copy
}
