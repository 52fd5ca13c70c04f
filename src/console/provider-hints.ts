// What to do about a provider's answers that say more than its OAuth error code: its own
// error codes (Entra), and issuers that are the profile's written another way. Worded for the
// console; `alerts.ts` picks among them.

/**
 * What to do about the OAuth errors that starting again does not fix (RFC 6749 §5.2). Keyed by
 * the provider's `error`, an untrusted string: a Map, so `constructor` finds nothing.
 */
export const OAUTH_HINTS: ReadonlyMap<string, string> = new Map([
  ['invalid_client', 'The provider does not accept this Client ID or secret: check the profile.'],
  [
    'invalid_scope',
    "Edit the profile's Scope to scopes the provider lets this client ask for, then log in again.",
  ],
  [
    'unauthorized_client',
    'At the provider, allow this Client ID the authorization code flow with PKCE (and refresh tokens), then log in again.',
  ],
  [
    'unsupported_grant_type',
    "The provider does not take this grant at this endpoint: check the profile's Token endpoint.",
  ],
  [
    'invalid_request',
    'The provider says what is missing or wrong above: check the Client ID, the redirect URI and that the client is registered as a public (single-page) client, then press Log in again.',
  ],
])

/**
 * Microsoft Entra's numeric `error_codes` (its AADSTS numbers) for the mistakes a browser app
 * meets in app registrations, which all arrive as `invalid_request` or `invalid_client`.
 */
const ENTRA_HINTS: ReadonlyMap<number, string> = new Map([
  [
    9002326,
    'In the Entra app registration, add this redirect URI under the "Single-page application" platform (not "Web"), then press Log in again.',
  ],
  [
    7000218,
    'In the Entra app registration, add this redirect URI under the "Single-page application" platform (a "Web" client must send a secret), then press Log in again.',
  ],
  [
    700025,
    'The provider registered this client as public: remove the Client secret from the profile, then press Log in again.',
  ],
  [
    65001,
    "An administrator must consent to this app's scopes in Entra, or remove the scopes that need it from the profile.",
  ],
  [
    50011,
    'In the Entra app registration, add this redirect URI exactly (path and trailing slash included), then press Log in again.',
  ],
])

export function providerCodeHint(codes: readonly number[] | undefined): string | undefined {
  for (const code of codes ?? []) {
    const hint = ENTRA_HINTS.get(code)
    if (hint !== undefined) return hint
  }
  return undefined
}

/** What to do about metadata that names another issuer than the profile's, by what it named. */
export function issuerHint(named: string | undefined): string {
  if (named === undefined)
    return 'Check the profile\'s Issuer: it must be exactly the "issuer" of the provider\'s metadata.'
  // Microsoft's /common and /organizations metadata names https://…/{tenantid}/v2.0.
  if (/\{[^}]*\}/.test(named))
    return `This metadata serves many tenants (its issuer is a template): set the profile's Issuer to your own tenant's, ${named.replace(/\{[^}]*\}/g, '<tenant id>')}, then press Discover.`
  return `If ${named} is this profile's provider, set the profile's Issuer to exactly that (a trailing slash counts), then press Discover.`
}

/** The profile's issuer, which the provider writes another way (a trailing slash apart). */
export const spelledHint = (issuer: string) =>
  `The provider writes its issuer as ${issuer}: if its metadata does too, set the profile's Issuer to exactly that, then log in again.`
