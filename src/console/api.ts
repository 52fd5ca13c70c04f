import type { AuthClient } from '../core'

/** A request as the API console sends it. */
export interface ApiRequest {
  method: string
  url: string
  headers: [string, string][]
  body?: string
}

/** The answer as the API console shows it. */
export interface ApiResponse {
  status: number
  statusText: string
  headers: [string, string][]
  body: string
  /** The body parsed, when it is JSON. */
  json?: unknown
  durationMs: number
  /** True when the first answer was a 401 and the call was retried once after a refresh. */
  retried: boolean
  /**
   * True when the answer was a redirect, not followed: the browser hides it (status 0, no
   * headers, no body), and following it could show another origin's answer as this URL's.
   */
  redirect?: true
}

/**
 * Reason phrases for the common statuses: HTTP/2 and HTTP/3 answers carry none (`statusText` is
 * empty), yet the console shows `200 OK` whatever the protocol.
 */
const REASON_PHRASES: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/**
 * Sends an API request with `Authorization: Bearer` from the token getter. On a 401 that refuses
 * the token, refreshes once and retries once; never more. Each send, body included, is aborted
 * after {@link REQUEST_TIMEOUT_MS}; a redirect is shown as one, never followed (the answer would
 * come from a URL the user did not send to).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1
 */
export async function sendApiRequest(
  request: ApiRequest,
  client: Pick<AuthClient, 'fetch' | 'on'>,
  now: () => number,
): Promise<ApiResponse> {
  const started = now()
  // The client's own record of its API calls: a second one after a refresh means the first
  // answer refused the token (a second one without is a DPoP nonce retry, RFC 9449 §9).
  const seen = { sent: 0, refreshAfterSend: false }
  const stop = client.on('request', (entry) => {
    if (entry.step === 'refresh' && seen.sent > 0) seen.refreshAfterSend = true
    if (entry.step === 'API call') seen.sent++
  })
  let response: Response
  try {
    response = await client.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && request.body !== '' ? { body: request.body } : {}),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      redirect: 'manual',
    })
  } finally {
    stop()
  }
  const retried = seen.refreshAfterSend && seen.sent > 1
  if (response.type === 'opaqueredirect') {
    return {
      status: 0,
      statusText: 'redirect (not followed)',
      headers: [],
      body: '',
      durationMs: now() - started,
      retried,
      redirect: true,
    }
  }
  const body = await response.text()
  let json: unknown
  if (/\bjson\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      json = JSON.parse(body)
      // A body nested some thousands deep parses, yet JSON.stringify throws on it (the call
      // stack): kept, it would break the panel that pretty-prints it. Shown as text instead.
      JSON.stringify(json)
    } catch {
      json = undefined
    }
  }
  return {
    status: response.status,
    statusText: response.statusText || (REASON_PHRASES[response.status] ?? ''),
    headers: [...response.headers.entries()],
    body,
    ...(json !== undefined ? { json } : {}),
    durationMs: now() - started,
    retried,
  }
}
