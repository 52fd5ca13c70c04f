import type * as oauth from 'oauth4webapi'
import type { TimelineEntry } from '../../core/tools'
import { finding, notCheckedYet, type Finding } from './finding'

export { refusedMetadata } from '../../core/tools'

/**
 * The metadata's `issuer` equals the issuer asked for. Discovery refuses metadata that names
 * another issuer (`issuer_mismatch`): the audit reports what it named, from the refusal.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-3.3
 */
export function checkIssuer(asked: string, named: string | undefined): Finding {
  const cite = 'RFC 8414 §3.3'
  if (named === asked) {
    return finding(
      'Pass',
      `Issuer: the metadata names exactly the issuer asked for, ${asked}.`,
      'Nothing to change.',
      cite,
    )
  }
  const what = named === undefined ? 'another issuer' : `the issuer ${JSON.stringify(named)}`
  return finding(
    'Fail',
    `Issuer: the metadata names ${what}, not ${asked} as the profile asks; it is refused, and no login can start.`,
    named === undefined
      ? "Set the profile's Issuer to exactly the provider's issuer."
      : `If ${named} is this provider, set the profile's Issuer to exactly that (a trailing slash counts); otherwise this metadata is another server's.`,
    cite,
  )
}

/** Whether the provider promises the RFC 9207 `iss` on every authorization response. */
export function checkIssParameter(metadata: oauth.AuthorizationServer): Finding {
  const cite = 'RFC 9207 §3, RFC 9700 §4.4'
  if (metadata.authorization_response_iss_parameter_supported === true) {
    return finding(
      'Pass',
      'Mix-up defence: the metadata sets authorization_response_iss_parameter_supported, so every callback names its issuer.',
      'Nothing to change: PKCE Console refuses a callback without iss, or from another issuer.',
      cite,
    )
  }
  return finding(
    'Warning',
    'Mix-up defence: the metadata does not set authorization_response_iss_parameter_supported, so a callback need not say which provider sent it.',
    "Ask the provider to support RFC 9207 (iss in the authorization response); without it, one provider's callback cannot be told from another's when several profiles share this app's redirect URI.",
    cite,
  )
}

/** The parameter names of a `callback` timeline entry (its note: `parameters: code, state, iss`). */
export function callbackParameters(entry: TimelineEntry): string[] {
  const listed = /^parameters:\s*(.*)$/.exec(entry.note ?? '')?.[1] ?? ''
  return listed
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

/**
 * The last callback this tab received from the profile's provider: a callback entry right after
 * the `authorize redirect` to its authorization endpoint (or with no redirect entry before it).
 */
export function lastCallback(
  timeline: readonly TimelineEntry[],
  authorizationEndpoint: string | undefined,
): TimelineEntry | undefined {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const entry = timeline[i]
    if (entry?.step !== 'callback') continue
    const before = timeline[i - 1]
    if (before?.step !== 'authorize redirect' || before.url === authorizationEndpoint) return entry
  }
  return undefined
}

/**
 * Observed: whether the callback carried `iss`. Missing although the metadata promised it is a
 * failure (PKCE Console refused that callback); missing and not promised, a warning.
 */
export function checkCallbackIss(callback: TimelineEntry | undefined, promised: boolean): Finding {
  const cite = 'RFC 9207 §2, RFC 9700 §4.4'
  if (callback === undefined) {
    return notCheckedYet(
      'iss on the callback: not checked yet: log in once in this tab.',
      'Press Log in, then Audit provider again.',
      cite,
    )
  }
  const names = callbackParameters(callback)
  if (names.includes('iss')) {
    return finding(
      'Pass',
      `iss on the callback: this tab's callback carried iss (parameters: ${names.join(', ')}).`,
      'Nothing to change.',
      cite,
    )
  }
  return promised
    ? finding(
        'Fail',
        `iss on the callback: missing (parameters: ${names.join(', ')}), although the metadata promises it.`,
        'The callback was refused as a possible mix-up; ask the provider why its authorization response has no iss.',
        cite,
      )
    : finding(
        'Warning',
        `iss on the callback: missing (parameters: ${names.join(', ')}).`,
        "Ask the provider to send iss (RFC 9207) so that a callback can be told from another provider's.",
        cite,
      )
}
