import type * as oauth from 'oauth4webapi'
import { finding, type Finding } from './finding'
import { quoted, stringList } from './metadata-values'

/**
 * DPoP (RFC 9449 §5.1): `dpop_signing_alg_values_supported`. Informational: without it tokens
 * are bearer tokens, and refresh token rotation is what limits a stolen one.
 */
export function checkDpop(metadata: oauth.AuthorizationServer): Finding {
  const algs = stringList(metadata.dpop_signing_alg_values_supported) ?? []
  const cite = 'RFC 9449 §5.1'
  if (algs.length > 0) {
    return finding(
      'Pass',
      `DPoP: supported, with ${quoted(algs)} (dpop_signing_alg_values_supported).`,
      'Nothing to change: a client can bind its tokens to a key it holds, so a stolen token is of no use elsewhere.',
      cite,
    )
  }
  return finding(
    'Warning',
    'DPoP: not advertised (no dpop_signing_alg_values_supported): tokens are bearer tokens.',
    'Ask the provider whether it supports DPoP; without it, a stolen refresh token works anywhere until it is rotated away (RFC 9700 §2.2.2).',
    cite,
  )
}

/**
 * Pushed authorization requests (RFC 9126 §5): the endpoint, and whether the provider requires
 * them. Informational, except metadata that requires PAR and names no endpoint for it.
 */
export function checkPar(metadata: oauth.AuthorizationServer): Finding {
  const endpoint = metadata.pushed_authorization_request_endpoint
  const required = metadata.require_pushed_authorization_requests === true
  const cite = 'RFC 9126 §5'
  if (typeof endpoint !== 'string') {
    return required
      ? finding(
          'Fail',
          'PAR: require_pushed_authorization_requests is true, but no pushed_authorization_request_endpoint is named.',
          'The metadata contradicts itself and no client can start a login: ask the provider to name its PAR endpoint.',
          cite,
        )
      : finding(
          'Warning',
          'PAR: not advertised (no pushed_authorization_request_endpoint).',
          "Optional: with PAR the authorization request's parameters go to the provider directly, not through the address bar, and are checked before the user sees a login page.",
          cite,
        )
  }
  return finding(
    'Pass',
    `PAR: supported at ${endpoint}${required ? ', and required' : ''}.`,
    'Nothing to change.',
    cite,
  )
}
