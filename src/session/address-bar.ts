import { readCallback, withoutCallbackParams } from '../oauth/callback'

/**
 * Reads this page load's callback parameters and removes them from the address bar and the
 * history entry at once (`history.replaceState`), before anything renders, so a code never stays
 * in history, a bookmark or a Referer.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-4.2.4
 */
export function takeCallbackFromAddressBar(): { url: URL; callback: URLSearchParams | undefined } {
  const url = new URL(window.location.href)
  const callback = readCallback(url)
  if (callback === undefined) return { url, callback }
  const clean = withoutCallbackParams(url)
  window.history.replaceState(null, '', clean)
  return { url: new URL(clean), callback }
}
