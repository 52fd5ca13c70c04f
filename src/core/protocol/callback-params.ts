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

/**
 * `url` without the callback parameters: what the address bar shows after a callback. Given the
 * redirect URI the login sent, and `url` is that page, only the parameters of the redirect URI
 * itself stay: providers append more than RFC 6749 names (Google adds `scope`, `authuser`, `hd`
 * and `prompt`; Entra can add `client_info`), and none of them belong in a bookmark.
 */
export function withoutCallbackParams(url: URL, redirectUri?: string): string {
  const clean = new URL(url)
  const registered =
    redirectUri !== undefined && URL.canParse(redirectUri) ? new URL(redirectUri) : undefined
  if (registered?.origin === url.origin && registered.pathname === url.pathname) {
    clean.search = registered.search
  } else {
    for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name)
  }
  return clean.href
}
