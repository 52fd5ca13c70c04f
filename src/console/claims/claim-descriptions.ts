/**
 * One-line descriptions of the claims the inspector knows, keyed by dotted path: RFC 7519 §4.1,
 * OpenID Connect Core §2 and §5.1, RFC 9068 §2.2, RFC 7800, RFC 9449, RFC 8693, and the Nexus Mods
 * access-token claims documented in its integration guide. A `Map`, not an object: claim names
 * come from tokens, and `valueOf` or `__proto__` must not find `Object.prototype`'s members.
 */
export const CLAIM_DESCRIPTIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // RFC 7519 §4.1: registered claim names.
    iss: 'Issuer: who created and signed this token',
    sub: 'Subject: the user (or client) the token is about',
    aud: 'Audience: who the token is meant for',
    exp: 'Expiration time: not valid on or after this time',
    nbf: 'Not before: not valid before this time',
    iat: 'Issued at: when the token was created',
    jti: 'JWT ID: unique identifier of this token',
    // OIDC Core §2: ID token claims.
    auth_time: 'When the user last authenticated',
    nonce: 'Nonce: binds the ID token to the login request',
    acr: 'Authentication context class reference: how strong the login was',
    amr: 'Authentication methods references: how the user logged in (pwd, otp, …)',
    azp: 'Authorized party: the client the ID token was issued to',
    at_hash: 'Access token hash: binds the ID token to the access token',
    c_hash: 'Code hash: binds the ID token to the authorization code',
    s_hash: 'State hash: binds the ID token to the state parameter (FAPI)',
    sid: 'Session ID at the provider (OIDC session management and logout)',
    // OIDC Core §5.1: standard claims.
    name: 'Full name',
    given_name: 'Given name(s) or first name(s)',
    family_name: 'Surname(s) or last name(s)',
    middle_name: 'Middle name(s)',
    nickname: 'Casual name',
    preferred_username: 'Preferred username (not necessarily unique)',
    profile: 'Profile page URL',
    picture: 'Profile picture URL',
    website: 'Web page or blog URL',
    email: 'Email address',
    email_verified: 'Whether the provider verified the email address',
    gender: 'Gender',
    birthdate: 'Birthday (YYYY-MM-DD, or YYYY)',
    zoneinfo: 'Time zone (for example Europe/Paris)',
    locale: 'Locale (BCP 47 language tag, for example en-US)',
    phone_number: 'Phone number',
    phone_number_verified: 'Whether the provider verified the phone number',
    address: 'Postal address',
    'address.formatted': 'Full mailing address, formatted for display',
    'address.street_address': 'Street address',
    'address.locality': 'City or locality',
    'address.region': 'State, province or region',
    'address.postal_code': 'Postal code',
    'address.country': 'Country',
    updated_at: "When the user's information was last updated",
    // RFC 9068 §2.2: JWT access tokens (and RFC 7643 attributes it names).
    client_id: 'The client the access token was issued to (RFC 9068)',
    scope: 'Scopes granted to the access token (space-separated)',
    groups: 'Groups the user belongs to (RFC 9068 §2.2.3.1)',
    roles: 'Roles the user has (RFC 9068 §2.2.3.1)',
    entitlements: 'Entitlements the user has (RFC 9068 §2.2.3.1)',
    // RFC 7800 and RFC 8693.
    cnf: 'Confirmation: the key the token is bound to (DPoP, mTLS)',
    // RFC 9449 §6.1 and RFC 8705 §3.1.
    'cnf.jkt':
      'DPoP: the JWK thumbprint (RFC 7638) of the key whose proofs must accompany the token',
    'cnf.x5t#S256': 'mTLS: the SHA-256 thumbprint of the client certificate the token is bound to',
    act: 'Actor: who acts on behalf of the subject (token exchange)',
    may_act: 'Who may act on behalf of the subject (token exchange)',
    // Nexus Mods access tokens (integration guide).
    application_id: 'Nexus Mods: the application the token was issued to',
    user: "Nexus Mods: the user's account",
    'user.id': 'Nexus Mods: numeric user id',
    'user.username': 'Nexus Mods: username',
    'user.group_id': 'Nexus Mods: primary user group',
    'user.joined': 'Nexus Mods: when the user joined',
    'user.membership_roles': 'Nexus Mods: membership roles (member, supporter, premium, …)',
    'user.other_group_ids': 'Nexus Mods: other user groups',
    'user.permissions': 'Nexus Mods: permissions',
    'user.premium_expiry': 'Nexus Mods: when premium ends (0 = no premium)',
  }),
)

/** Claims (dotted paths) holding NumericDate values, seconds since the epoch (RFC 7519 §2). */
export const TIME_CLAIMS: ReadonlySet<string> = new Set([
  'exp',
  'iat',
  'nbf',
  'auth_time',
  'updated_at',
  'user.joined',
  'user.premium_expiry',
])

/** Time claims where 0 means "none" rather than 1970 (Nexus Mods: no premium). */
export const ZERO_MEANS_NONE: ReadonlySet<string> = new Set(['user.premium_expiry'])
