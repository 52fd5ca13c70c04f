/**
 * The library's building blocks, for an app that does more than log in (the console is one): the
 * profile rules, JWT decoding and signature checks, discovery, login records, request records and
 * errors. `index.ts` is the auth client most apps need; this is the second entry, so an app never
 * reaches into the library's files. Everything here is tree-shaken: importing one name loads only
 * its module.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html
 */

import type { KeySource } from './jwt/key-input'
import type { VerifyResult } from './jwt/signature'
import type { VerifyOptions } from './jwt/verify'

// Profiles: their shape, validation, presets and the server a session belongs to.
export {
  ENDPOINT_FIELDS,
  FIELD_LABELS,
  type ListedProfile,
  type PresetId,
  type Profile,
  type RequestPreset,
} from './profile/types'
export { validateProfile } from './profile/validate'
export { builtinProfileDrafts, inheritedPresetValues, isPresetId } from './profile/presets'
export { serverFingerprint } from './profile/server-fingerprint'
export { wantsOpenId } from './profile/scope'
export { endpointProblem } from './profile/url-rule'

// JWTs: decoding (no verification), signature checks, keys.
export { decodeJwt, type DecodedJwt } from './jwt/decode'
export { MAX_DATE_MS } from './jwt/expiry'
export type { JwksCache } from './jwt/jwks'
export { parseKeyInput, profileKeySources, type KeySource } from './jwt/key-input'
export { isRefusal, notChecked, precheck, signatureLine, type VerifyResult } from './jwt/signature'
export type { VerifyOptions } from './jwt/verify'

// Protocol pieces an app may drive itself: discovery, login records, end session, revocation.
export { readCallback, withoutCallbackParams } from './protocol/callback-params'
export { discover, pkceWarning, refusedMetadata } from './protocol/discovery'
export { completeEndSession, isLogoutReturn, startEndSession } from './protocol/end-session'
export {
  forgetDiscoveries,
  forgetMetadata,
  resolveEndpoints,
  type DiscoveryMemory,
} from './protocol/endpoints'
export { revocationNote } from './protocol/revoke'
export type { Endpoints } from './protocol/server'
export {
  expectsIdToken,
  isPendingLogin,
  pendingLoginProfile,
  sweepTransients,
  takeTransient,
  type TransientStorage,
} from './protocol/transient'

// Errors: the library's own, and how a failure is classified.
export {
  AppError,
  abortedByTimeout,
  isNetworkFailure,
  offlineError,
  toAppError,
  type AppErrorCode,
  type AppErrorDetail,
} from './protocol/errors'
export { isRevocation } from './refresh/refresh-policy'

// Requests: timeouts, and the records a timeline shows (secrets masked).
export { REQUEST_TIMEOUT_MS, withTimeout } from './timeout'
export {
  maskForm,
  isSecretHeader,
  maskHeader,
  maskUrl,
  recordingFetch,
  type TimelineEntry,
  type TimelineStep,
} from './record'

// Storage and tabs: the key-value store, held tokens, the cross-tab plumbing's types.
export { openStore, type KeyValueStore } from './storage/kv'
export { deploymentNamespace, namespacedStorage } from './storage/namespace'
export { deleteTokens, readHeldTokens, type StoredTokens } from './storage/token-store'
export type {
  ChannelLike,
  LockManagerLike,
  SignOutReason,
  TabMessage,
  Timers,
} from './refresh/token-getter'

// Loaded on use: what an app may prefetch, and the verifier (jose) behind a dynamic import.

/**
 * Loads the code a login needs before the press, e.g. once the page is idle: the login step,
 * discovery and its cache, and the request recorder.
 */
export async function preloadLogin(): Promise<void> {
  await Promise.all([
    import('./login'),
    import('./protocol/endpoints'),
    import('./protocol/discovery'),
    import('./record'),
  ])
}

/**
 * Loads the code a callback page needs (the code exchange, the recorder) and, with `idToken`
 * (see {@link expectsIdToken}), jose and the key set cache that check the ID token: for an app
 * that knows early that the page carries a callback, before its client is made.
 */
export async function preloadCallback(options: { idToken?: boolean } = {}): Promise<void> {
  await Promise.all([
    import('./complete-callback'),
    import('./record'),
    ...(options.idToken === true ? [import('./jwt/verify'), import('./jwt/jwks')] : []),
  ])
}

/**
 * `verifyJwt` (jwt/verify.ts) loaded on first use, so jose stays off the page until a signature
 * is checked. Never rejects once loaded; rejects only when its code cannot be loaded.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515.html#section-5.2
 */
export async function verifyJwt(
  token: string,
  sources: KeySource[],
  options: VerifyOptions,
): Promise<VerifyResult> {
  return (await import('./jwt/verify')).verifyJwt(token, sources, options)
}
