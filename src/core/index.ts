/**
 * PKCE Console's core as a library: a browser-only OAuth 2.0 / OpenID Connect public client with
 * PKCE, tokens in IndexedDB and one refresh per expiry across tabs. The contract is
 * `shared/library.md`; the README's "Use the core in your app" has an example.
 */
export { createAuthClient } from './client'
export type {
  AuthClient,
  AuthClientOptions,
  AuthEvents,
  LoginOptions,
  LogoutResult,
  RequestRecord,
} from './types'
export { AuthError, AUTH_ERROR_CODES } from './auth-error'
export type { AuthErrorCode } from './auth-error'
export type { Tokens } from './tokens'
export { browserEnvironment } from './browser'
export type { AuthEnvironment, TabChannel } from './environment'
