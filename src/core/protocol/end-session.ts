import * as oauth from 'oauth4webapi'
import { AppError } from './errors'
import { keysWithPrefix, TRANSIENT_TTL_MS, type TransientStorage } from './transient'

/**
 * What waits in sessionStorage while the browser is at the provider's logout page: the `state`
 * to expect back, and nothing secret (the ID token goes to the provider, never into storage).
 */
export interface LogoutRecord {
  state: string
  profile_id: string
  created_at: number
}

const PREFIX = 'pkce-console:logout:'

/**
 * Builds the RP-initiated logout request (OpenID Connect RP-Initiated Logout 1.0 §2) and saves
 * the record its return is checked against. `id_token_hint` is sent when the session had an ID
 * token; `client_id` always, so the provider can check `post_logout_redirect_uri` without one.
 *
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export function startEndSession(
  endSessionEndpoint: string,
  options: {
    storage: TransientStorage
    profileId: string
    clientId: string
    idTokenHint: string | undefined
    postLogoutRedirectUri: string
    now: number
  },
): URL {
  const url = new URL(endSessionEndpoint)
  const state = oauth.generateRandomState()
  if (options.idTokenHint !== undefined) url.searchParams.set('id_token_hint', options.idTokenHint)
  url.searchParams.set('client_id', options.clientId)
  url.searchParams.set('post_logout_redirect_uri', options.postLogoutRedirectUri)
  url.searchParams.set('state', state)
  const record: LogoutRecord = { state, profile_id: options.profileId, created_at: options.now }
  options.storage.setItem(PREFIX + state, JSON.stringify(record))
  return url
}

/**
 * Whether this page load's parameters are the provider sending the browser back after logout:
 * a `state` alone (no `code`, no `error`) that no pending login is waiting for. Logout returns
 * carry only `state` (RP-Initiated Logout §3).
 */
export function isLogoutReturn(params: URLSearchParams, pendingLogin: (state: string) => boolean) {
  const state = params.get('state')
  return state !== null && !params.has('code') && !params.has('error') && !pendingLogin(state)
}

/**
 * Checks a logout return's `state` against the record saved by {@link startEndSession}, deleting
 * it (and any expired one) whatever the outcome.
 *
 * Errors: `state_mismatch` when no record matches; `login_expired` when the record is older than
 * 10 minutes.
 */
export function completeEndSession(
  storage: TransientStorage,
  params: URLSearchParams,
  now: number,
): LogoutRecord {
  const state = params.get('state') ?? ''
  const raw = storage.getItem(PREFIX + state)
  storage.removeItem(PREFIX + state)
  for (const key of keysWithPrefix(storage, PREFIX)) {
    try {
      const other = JSON.parse(storage.getItem(key) ?? '') as LogoutRecord
      if (!(now - other.created_at < TRANSIENT_TTL_MS)) storage.removeItem(key)
    } catch {
      storage.removeItem(key)
    }
  }
  let record: LogoutRecord | undefined
  try {
    record = raw === null ? undefined : (JSON.parse(raw) as LogoutRecord)
  } catch {
    record = undefined
  }
  if (record?.state !== state) {
    throw new AppError(
      'state_mismatch',
      'The provider sent the browser back from its logout page with a state this tab did not send; it was ignored.',
      { detail: { step: 'logout return' } },
    )
  }
  if (!(now - record.created_at < TRANSIENT_TTL_MS)) {
    throw new AppError(
      'login_expired',
      'The provider logout was started more than 10 minutes ago; its return was ignored.',
      { detail: { step: 'logout return' } },
    )
  }
  return record
}
