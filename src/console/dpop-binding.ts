import { decodeJwt } from '../core/tools'

/** The access token region's DPoP line: the key the session holds, checked against the token. */
export interface DpopBinding {
  text: string
  /** `false` when the token's `cnf.jkt` names another key; `undefined` when it names none. */
  matches: boolean | undefined
}

/**
 * What the access token region says about a DPoP-bound session: the RFC 7638 thumbprint of the
 * session's key (`jkt`), and whether the token's `cnf.jkt` (RFC 9449 §6.1) names that key. An
 * opaque token cannot be compared here; the resource server checks its binding by introspection.
 * `undefined` for a session without DPoP. The claims are decoded, not verified.
 */
export function dpopBinding(jkt: string | undefined, accessToken: string): DpopBinding | undefined {
  if (jkt === undefined) return undefined
  const line = `Bound to DPoP key ${jkt}`
  const decoded = decodeJwt(accessToken)
  if (!decoded.ok) {
    return {
      text: `${line} (the token is opaque: its binding cannot be read here)`,
      matches: undefined,
    }
  }
  const cnf = decoded.payload.cnf
  const bound = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined
  if (typeof bound !== 'string') {
    return { text: `${line}, but the token has no cnf.jkt naming a key`, matches: undefined }
  }
  if (bound !== jkt) {
    return {
      text: `${line}, but the token's cnf.jkt (${bound}) differs: the provider bound it to another key, so resource servers will refuse it`,
      matches: false,
    }
  }
  return { text: line, matches: true }
}
