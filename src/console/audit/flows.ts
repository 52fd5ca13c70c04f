import type * as oauth from 'oauth4webapi'
import { finding, type Finding } from './finding'
import { quoted, stringList } from './metadata-values'

const PKCE_CITE = 'RFC 9700 §2.1.1, RFC 10017 §6.3.2.1'

/**
 * PKCE: S256 among `code_challenge_methods_supported`. A list without S256 fails (PKCE Console
 * only sends S256, never `plain`); no list at all leaves the client unable to tell.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700.html#section-2.1.1
 */
export function checkPkceMethods(metadata: oauth.AuthorizationServer): Finding {
  const methods = stringList(metadata.code_challenge_methods_supported)
  if (methods === undefined) {
    return finding(
      'Warning',
      'PKCE: the metadata has no code_challenge_methods_supported, so a client cannot tell whether S256 is supported.',
      'Ask the provider to list S256 there; if logging in works, the provider accepted the S256 challenge anyway.',
      PKCE_CITE,
    )
  }
  if (!methods.includes('S256')) {
    return finding(
      'Fail',
      `PKCE: code_challenge_methods_supported lists ${quoted(methods)} without S256.`,
      'Ask the provider to support S256 and list it; PKCE Console sends only S256, so logging in may fail.',
      PKCE_CITE,
    )
  }
  return finding(
    'Pass',
    'PKCE: code_challenge_methods_supported lists S256.',
    methods.includes('plain')
      ? 'It also lists "plain", which a downgrade attack can exploit (RFC 9700 §4.8): the provider can drop it.'
      : 'Nothing to change.',
    PKCE_CITE,
  )
}

/**
 * A browser app is a public client: `none` must be among `token_endpoint_auth_methods_supported`.
 * Without the list, RFC 8414 §2's default is `client_secret_basic` alone.
 */
export function checkPublicClientAuth(metadata: oauth.AuthorizationServer): Finding {
  const methods = stringList(metadata.token_endpoint_auth_methods_supported)
  const cite = 'RFC 10017 §6.3.3.1'
  if (methods === undefined) {
    return finding(
      'Warning',
      'Public clients: the metadata has no token_endpoint_auth_methods_supported, whose default is client_secret_basic only.',
      'Ask the provider to list "none", or check that this app is registered as a public client (token endpoint auth method "none").',
      `${cite}, RFC 8414 §2`,
    )
  }
  if (!methods.includes('none')) {
    return finding(
      'Fail',
      `Public clients: token_endpoint_auth_methods_supported lists ${quoted(methods)} but not "none".`,
      'A browser cannot keep a secret: ask the provider to allow public clients (auth method "none") for this app.',
      cite,
    )
  }
  return finding(
    'Pass',
    'Public clients: token_endpoint_auth_methods_supported lists "none".',
    'Nothing to change: the app uses the token endpoint without a client secret.',
    cite,
  )
}

/** Whether a response type hands out an access token from the authorization endpoint. */
const issuesAccessToken = (responseType: string) => responseType.split(' ').includes('token')

/**
 * The implicit grant: a response type that returns an access token in the redirect, or
 * `implicit` among the grant types. A warning: the provider may keep it for old clients.
 */
export function checkImplicit(metadata: oauth.AuthorizationServer): Finding {
  const responseTypes = (stringList(metadata.response_types_supported) ?? []).filter(
    issuesAccessToken,
  )
  const implicitGrant = stringList(metadata.grant_types_supported)?.includes('implicit') === true
  const cite = 'RFC 9700 §2.1.2'
  if (responseTypes.length === 0 && !implicitGrant) {
    return finding(
      'Pass',
      'Implicit grant: not advertised (no response type returns an access token in the redirect).',
      'Nothing to change.',
      cite,
    )
  }
  const where = [
    ...(responseTypes.length > 0
      ? [`response_types_supported lists ${quoted(responseTypes)}`]
      : []),
    ...(implicitGrant ? ['grant_types_supported lists "implicit"'] : []),
  ]
  return finding(
    'Warning',
    `Implicit grant: advertised (${where.join('; ')}).`,
    'Ask the provider to turn the implicit grant off for this app: its access tokens travel in the URL. PKCE Console uses the code flow only.',
    cite,
  )
}

/** The resource owner password credentials grant, which hands the user's password to the client. */
export function checkPasswordGrant(metadata: oauth.AuthorizationServer): Finding {
  const cite = 'RFC 9700 §2.4'
  if (stringList(metadata.grant_types_supported)?.includes('password') === true) {
    return finding(
      'Fail',
      'Password grant: grant_types_supported lists "password".',
      "Ask the provider to turn the resource owner password credentials grant off: it gives the user's password to the client and cannot do multi-factor login.",
      cite,
    )
  }
  return finding('Pass', 'Password grant: not advertised.', 'Nothing to change.', cite)
}

/** The metadata checks of the flows a browser app may use, in the report's order. */
export function flowFindings(metadata: oauth.AuthorizationServer): Finding[] {
  return [
    checkPkceMethods(metadata),
    checkPublicClientAuth(metadata),
    checkImplicit(metadata),
    checkPasswordGrant(metadata),
  ]
}
