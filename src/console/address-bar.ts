import { readCallback, withoutCallbackParams } from '../core/tools'
import { readFragmentCallback } from './fragment-callback'

/**
 * Reads this page load's callback parameters and removes them from the address bar and the
 * history entry at once (`history.replaceState`), before anything renders, so a code never stays
 * in history, a bookmark or a Referer. A response in the fragment (`fragment`) is removed the
 * same way, for the session to refuse.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.2.4
 */
export function takeCallbackFromAddressBar(): {
  url: URL
  callback: URLSearchParams | undefined
  fragment: URLSearchParams | undefined
} {
  const url = new URL(window.location.href)
  const callback = readCallback(url)
  const fragment = readFragmentCallback(url)
  if (callback === undefined && fragment === undefined) return { url, callback, fragment }
  // The console's page has no query of its own: on a callback, all the provider appended goes.
  const clean = new URL(
    callback !== undefined ? withoutCallbackParams(url, url.origin + url.pathname) : url,
  )
  if (fragment !== undefined) clean.hash = ''
  window.history.replaceState(null, '', clean)
  return { url: clean, callback, fragment }
}
