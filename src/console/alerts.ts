import {
  type AppError,
  type AppErrorCode,
  type AppErrorDetail,
  type SignOutReason,
  FIELD_LABELS,
} from '../core/tools'
import { issuerHint, OAUTH_HINTS, providerCodeHint, spelledHint } from './provider-hints'
import type { Alert } from './state'

/** What the console knows and the library does not: the page the user is on. */
export interface AlertContext {
  /** The page's origin, which a provider's CORS rule must name. */
  origin: string
}

/** What a hint is chosen by: an {@link AppError}'s code, the provider's OAuth error, the situation. */
export interface HintSource {
  code: AppErrorCode
  error?: string | undefined
  detail?: AppErrorDetail | undefined
}

const RESTART = 'Press Log in to start again.'
const SIGN_IN_AGAIN = 'Press Log in to sign in again.'
const NEW_SERVER = 'Press Log in to sign in to the server the profile names now.'
const BY_HAND = 'or give the endpoints by hand.'

/** Shown while a failed refresh is retried in the background (the tokens are kept). */
export const RETRYING_HINT = 'Nothing to do: the session continues as soon as the provider answers.'
/** Shown once the retries of a refresh stopped (the tokens are kept). */
export const GAVE_UP_HINT = 'Press Refresh now or send a request once the provider is back.'

/** What to do about an incomplete or refused profile, by the field at fault. */
function profileHint(detail: AppErrorDetail): string {
  if (detail.step === 'import') {
    if (detail.imported === undefined)
      return 'Check that this browser lets the page store data, then import again.'
    return detail.imported > 0
      ? 'Correct it in the JSON and import it again; the other profiles were imported.'
      : 'Correct the JSON and import it again.'
  }
  switch (detail.field) {
    case undefined:
      return 'Edit the profile: each endpoint must be an https: URL (http: only on this machine).'
    case 'id':
      return 'Pick a provider and log in again.'
    case 'client_id':
      return 'Edit the profile and enter the Client ID your provider registered for this app.'
    case 'issuer':
      return 'Enter the issuer URL of the provider, such as https://id.example.com, then press Discover.'
    case 'userinfo_endpoint':
      return 'Add a Userinfo endpoint to the profile, or use the API console.'
    default:
      return `Edit the profile and add the ${FIELD_LABELS[detail.field] ?? detail.field}.`
  }
}

/** What to do about a failed discovery, by what the attempts met. */
function discoveryHint(detail: AppErrorDetail): string {
  if (detail.field !== undefined)
    return 'Check the Issuer; a provider must publish https: endpoints.'
  if (detail.redirected === true)
    return `Ask the provider to serve its metadata there, check the Issuer, ${BY_HAND}`
  return detail.url !== undefined
    ? `Check the Issuer (discovery is read from exactly ${detail.url}), ${BY_HAND}`
    : `Check the Issuer, ${BY_HAND}`
}

/**
 * The one sentence telling the user what to do next, for every code the core can report. The
 * library's errors carry none: its callers word their own, and this is the console's wording.
 */
export function hintFor(error: HintSource, context: AlertContext): string {
  const { code } = error
  const detail = error.detail ?? {}
  // Discovery failed, but the profile's own endpoints stand in: a notice, not a failure.
  if (detail.fallback === true) return 'Nothing to do unless the login fails.'
  switch (code) {
    case 'oauth_error':
      if (detail.scope !== undefined)
        return `Edit the profile's Scope to include ${detail.scope}, then log in again.`
      if (error.error === 'access_denied')
        return 'Access was denied at the provider. Press Log in to try again and allow access.'
      return providerCodeHint(detail.providerCodes) ?? OAUTH_HINTS.get(error.error ?? '') ?? RESTART
    case 'state_mismatch':
    case 'login_expired':
      return detail.step === 'logout return'
        ? 'You are signed out of PKCE Console either way; check at the provider whether its session ended.'
        : RESTART
    case 'no_pending_login':
    case 'profile_changed':
      return RESTART
    case 'iss_mismatch':
      if (detail.url === undefined) return RESTART
      // The profile's own issuer, written as the provider writes it (a trailing slash apart).
      if (detail.field === 'issuer') return spelledHint(detail.url)
      // A callback naming an issuer the login's profile cannot vouch for: perhaps its own.
      return `If ${detail.url} is this profile's provider, edit the profile: set its Issuer to ${detail.url} and turn on Discovery (or put its token endpoint on that host), then log in again.`
    case 'invalid_profile':
      return profileHint(detail)
    case 'discovery_failed':
      return discoveryHint(detail)
    case 'issuer_mismatch':
      return issuerHint(detail.url)
    case 'fallback_off_issuer':
      return "Check that the issuer's discovery answers, or give the profile endpoints on the issuer's host."
    case 'fragment_response':
      return 'Remove "response_mode" from the provider\'s settings for this client, then press Log in again.'
    case 'site_data_blocked':
      return 'Allow site data (cookies and site storage) for this site in the browser settings, then reload the page. The Decoder works meanwhile.'
    case 'cors_blocked':
      return `Check your connection; if it works, ask the provider to allow the origin ${context.origin}, or use a provider that supports browser-based apps.`
    case 'timeout':
      return detail.step === 'discovery'
        ? `The provider may be slow or down; try again in a moment, ${BY_HAND}`
        : 'The provider may be slow or down. ' + RESTART
    case 'invalid_token_response':
      if (detail.field === 'token_type')
        return 'Use a provider configuration that issues Bearer tokens.'
      if (detail.field === 'expires_in')
        return 'This is a provider problem; press Log in to try again.'
      return 'This is a provider problem. ' + RESTART
    case 'id_token_invalid':
      if (detail.step === 'refresh') return SIGN_IN_AGAIN
      if (detail.field === 'alg')
        return "At the provider, have this client's ID tokens signed with RS256 or ES256 (a browser app has no secret to check HS256 with), then log in again."
      if (detail.field === 'iss' && detail.url !== undefined) return spelledHint(detail.url)
      return RESTART
    case 'not_signed_in':
      return 'Press Log in first.'
    case 'provider_unavailable':
      return detail.offline === true
        ? 'Connect to the network and try again. Stored sessions, their claims and the Decoder work offline.'
        : 'The provider seems to be down; try again in a moment.'
    case 'clock_skew':
      return "Set this device's clock automatically (network time) to avoid surprises."
    case 'no_refresh_token':
      return 'Press Log in to get new tokens (ask for offline_access, or whatever the provider needs, to get a refresh token).'
    case 'token_destination':
      return "Send the request to an origin the profile names, or add the URL to the profile's requests."
    case 'pkce_unsupported':
      return "Check the provider's PKCE settings, or press Log in again to try anyway."
    case 'server_changed':
      return NEW_SERVER
    case 'dpop_mismatch':
      return "Make the profile's DPoP setting match the client's registration at the provider (turn DPoP on or off), then press Log in."
    case 'internal_error':
      return 'This is a fault in PKCE Console, not your doing: reload the page and press Log in to start again.'
    default: {
      const unreachable: never = code
      return unreachable
    }
  }
}

/** What to do after a sign-out that a refresh (here or in another tab) announced. */
export function signOutHint(reason: SignOutReason): string {
  return reason.code === 'server_changed' ? NEW_SERVER : SIGN_IN_AGAIN
}

/** An error as the console shows it: its code, what happened, what to do, the provider's words. */
export function alertContent(error: AppError, context: AlertContext): Omit<Alert, 'id'> {
  return {
    code: error.displayCode,
    message: error.message,
    hint: hintFor(error, context),
    ...(error.errorDescription !== undefined ? { description: error.errorDescription } : {}),
    ...(error.detail?.errorUri !== undefined ? { moreInfo: error.detail.errorUri } : {}),
  }
}
