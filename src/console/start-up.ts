import {
  expectsIdToken,
  preloadCallback,
  REQUEST_TIMEOUT_MS,
  type TransientStorage,
  withTimeout,
} from '../core/tools'
import { loadProvidersFile, type ProfilesDocument } from './profiles/providers-file'
import { pageTimers } from './session-environment'

// What start-up can begin before IndexedDB is open (the page calls beginStartUp first).

/** For a promise whose failure is reported where it is used. */
const ignore = () => undefined

/** Body included: a providers.json that stalls after its headers must not keep "Loading…". */
export const timedFetch = (fetchImpl: typeof fetch, timers = pageTimers) =>
  withTimeout(fetchImpl, REQUEST_TIMEOUT_MS, timers)

/**
 * What start-up can begin before IndexedDB is open, called by the page first: the fetch of
 * `providers.json` (pass its promise as `siteProfiles`) and, on a callback page, the code that
 * completes it, so the code exchange waits for neither.
 */
export function beginStartUp(
  url: URL,
  callback: URLSearchParams | undefined,
  fetchImpl: typeof fetch,
  transientStorage: TransientStorage,
): Promise<ProfilesDocument> {
  // First: requests are served in the order made, and the chunks below are many.
  const site = loadProvidersFile(new URL('providers.json', url), timedFetch(fetchImpl))
  if (callback !== undefined) {
    // A chunk that fails to load here is asked for again, and reported, where it is used.
    import('./session-wiring').catch(ignore)
    preloadCallbackCode(callback, transientStorage)
  }
  return site
}

/**
 * The exchange's code, and jose when the login sent a nonce, so the ID token's check waits for
 * neither its code nor its keys. Idempotent: each module loads once.
 */
export function preloadCallbackCode(callback: URLSearchParams, transientStorage: TransientStorage) {
  const state = callback.get('state')
  const idToken = state !== null && expectsIdToken(transientStorage, state)
  preloadCallback({ idToken }).catch(ignore)
}
