/** Parameters a provider may append to the redirect URI (RFC 6749 §4.1.2, RFC 9207, OIDC). */
const CALLBACK_PARAMS = [
  'code',
  'state',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'session_state',
]

/** The callback parameters of `url`, or `undefined` when this page load is not a callback. */
export function readCallback(url: URL): URLSearchParams | undefined {
  const params = url.searchParams
  return params.has('state') || params.has('code') || params.has('error')
    ? new URLSearchParams(params)
    : undefined
}

/** `url` without the callback parameters: what the address bar shows after a callback. */
export function withoutCallbackParams(url: URL): string {
  const clean = new URL(url)
  for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name)
  return clean.href
}
