/** A protocol step as the Timeline lists it. */
export type TimelineStep =
  | 'discovery'
  | 'pushed authorization request'
  | 'authorize redirect'
  | 'callback'
  | 'code exchange'
  | 'refresh'
  | 'API call'
  | 'userinfo'
  | 'revocation'
  | 'logout'

/** One entry of the timeline. Request data is kept whole in memory and masked when shown. */
export interface TimelineEntry {
  id: number
  at: number
  step: TimelineStep
  method?: string
  url?: string
  /** HTTP status, or a word such as `network error` when no answer came. */
  status?: string
  durationMs?: number
  requestHeaders?: [string, string][]
  requestBody?: string
  note?: string
}

/** Form fields and headers whose values are secrets (RFC 6749, 7009, 7636, OIDC). */
const SECRET_FIELDS = new Set([
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'client_secret',
  'token',
  'id_token_hint',
  'assertion',
])
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'dpop'])
/**
 * Request headers APIs take keys and tokens in, by name: `X-API-Key`, `apikey` (Supabase),
 * `X-Auth-Token`, `Private-Token` (GitLab), `X-Goog-Api-Key`, `Ocp-Apim-Subscription-Key`.
 */
const SECRET_HEADER_NAME =
  /(^|[-_])(api[-_]?key|access[-_]key|[a-z]*[-_]?token|secret|password|subscription[-_]key)$/i
const MASK = '••••••'

/** Whether a request header carries a credential, by its name. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase()) || SECRET_HEADER_NAME.test(name)
}

/** Masks one header value: `Bearer abc` → `Bearer ••••••`, `X-API-Key: abc` → `••••••`. */
export function maskHeader(name: string, value: string): string {
  if (!isSecretHeader(name)) return value
  const space = value.indexOf(' ')
  return space > 0 ? `${value.slice(0, space)} ${MASK}` : MASK
}

/** Masks the secret fields of a form-encoded body or URL query. */
export function maskForm(form: string): string {
  const params = new URLSearchParams(form)
  for (const name of [...params.keys()]) if (SECRET_FIELDS.has(name)) params.set(name, MASK)
  return params.toString().replaceAll(encodeURIComponent(MASK), MASK)
}

/** Masks the secret query parameters of a URL. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.search === '') return url
    parsed.search = maskForm(parsed.search)
    return parsed.href.replaceAll(encodeURIComponent(MASK), MASK)
  } catch {
    return url
  }
}

/** A timeline entry with its secrets masked: URL query, secret headers, secret form fields. */
export function maskRecord<T extends Omit<TimelineEntry, 'id'>>(entry: T): T {
  return {
    ...entry,
    ...(entry.url !== undefined ? { url: maskUrl(entry.url) } : {}),
    ...(entry.requestHeaders
      ? {
          requestHeaders: entry.requestHeaders.map(([n, v]): [string, string] => [
            n,
            maskHeader(n, v),
          ]),
        }
      : {}),
    ...(entry.requestBody !== undefined ? { requestBody: maskForm(entry.requestBody) } : {}),
  }
}

/**
 * Wraps `fetch` so each request is recorded as a timeline step: method, URL, request headers and
 * body as sent, the status (or why none came) and the duration.
 */
export function recordingFetch(
  fetchImpl: typeof fetch,
  step: TimelineStep,
  record: (entry: Omit<TimelineEntry, 'id'>) => void,
  now: () => number,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const headers = [...request.headers.entries()]
    const body =
      typeof init?.body === 'string'
        ? init.body
        : init?.body instanceof URLSearchParams
          ? init.body.toString()
          : undefined
    const started = now()
    const base = {
      at: started,
      step,
      method: request.method,
      url: request.url,
      requestHeaders: headers,
      ...(body !== undefined ? { requestBody: body } : {}),
    }
    try {
      const response = await fetchImpl(input, init)
      record({
        ...base,
        // With `redirect: 'manual'` a browser hides the redirect (status 0, no Location): say
        // what it was rather than show a status that no server sent.
        status:
          response.type === 'opaqueredirect'
            ? 'redirect (not followed)'
            : `${String(response.status)} ${response.statusText}`.trim(),
        durationMs: now() - started,
      })
      return response
    } catch (cause) {
      const status =
        cause instanceof DOMException && cause.name === 'TimeoutError'
          ? 'timed out'
          : 'network error'
      record({ ...base, status, durationMs: now() - started })
      throw cause
    }
  }
}
