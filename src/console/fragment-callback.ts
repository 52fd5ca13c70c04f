import { AppError, takeTransient, type TransientStorage } from '../core/tools'

/**
 * The authorization response parameters carried in the fragment of `url` (`#code=…&state=…`),
 * or `undefined`. This app asks for the query response mode only (RFC 6749 §4.1.2); a provider
 * told `response_mode=fragment` (OAuth 2.0 Multiple Response Types §2) answers here instead.
 */
export function readFragmentCallback(url: URL): URLSearchParams | undefined {
  const params = new URLSearchParams(url.hash.slice(1))
  return params.has('code') || params.has('state') || params.has('error') ? params : undefined
}

/**
 * Refuses a response that came back in the fragment: its login record is deleted (so the code
 * can never be exchanged from this tab) and the error says what to change. The address bar has
 * already been cleaned by `takeCallbackFromAddressBar`.
 */
export function refuseFragmentCallback(
  params: URLSearchParams,
  storage: TransientStorage,
): AppError {
  const state = params.get('state')
  if (state !== null) takeTransient(storage, state)
  return new AppError(
    'fragment_response',
    'The provider sent the authorization response in the URL fragment (#code=…), which this app does not accept: the login was stopped and the code removed from the address bar.',
  )
}
