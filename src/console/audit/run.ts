import { hintFor } from '../alerts'
import type * as oauth from 'oauth4webapi'
import { AppError, toAppError, type Endpoints, type Profile } from '../../core/tools'
import type { SessionState } from '../state'
import { checkJwksCors, checkTokenEndpointCors, checkUserinfoCors, probe } from './cors'
import { checkDpop, checkPar } from './features'
import { finding, type AuditReport, type Finding } from './finding'
import { flowFindings } from './flows'
import { checkAccessLifetime, checkIdTokenAlg } from './issued-tokens'
import { jwksFindings } from './jwks'
import {
  checkCallbackIss,
  checkIssParameter,
  checkIssuer,
  lastCallback,
  refusedMetadata,
} from './mix-up'
import { checkRefreshLifetime, checkRotation } from './refresh-token'
import type { RotationTally } from './rotation'

/** What the audit reads and asks with; nothing here can send a token or change the provider. */
export interface AuditDeps {
  /** A fetch with the session's timeout; used only for the JWKS and userinfo GETs. */
  fetch: typeof fetch
  now(): number
  /**
   * The profile's endpoints: `resolveEndpoints` (discovery, or the profile's own endpoints);
   * `fallback` says why discovery failed when the profile's endpoints stand in.
   */
  resolve(): Promise<{ endpoints: Endpoints; fallback?: AppError }>
  /** This tab's session as it is now: its timeline and the profile's tokens. */
  state: SessionState
  /** The refreshes the session watch saw for this profile. */
  rotation: RotationTally | undefined
  /** The page's origin, which a provider's CORS rule must allow. */
  appOrigin: string
}

const DISCOVERY_CITE = 'RFC 8414 §3, OpenID Connect Discovery 1.0 §4'

/** What the metadata advertises: flows, the mix-up defence, DPoP and PAR. */
function advertised(metadata: oauth.AuthorizationServer): Finding[] {
  return [
    ...flowFindings(metadata),
    checkIssParameter(metadata),
    checkDpop(metadata),
    checkPar(metadata),
  ]
}

/** The JWKS: readable from the page (CORS), then the keys themselves. */
async function jwksAudit(url: string, deps: AuditDeps): Promise<Finding[]> {
  const result = await probe(url, deps.fetch)
  const cors = checkJwksCors(url, result, deps.appOrigin)
  if (result.kind !== 'answered') return [cors]
  const body: unknown = await result.response.json().catch(() => undefined)
  return [cors, ...jwksFindings(url, result.response.status, body)]
}

/** The userinfo endpoint, asked without a token: only whether its answer is readable. */
async function userinfoAudit(url: string, deps: AuditDeps): Promise<Finding[]> {
  const result = await probe(url, deps.fetch)
  // The body is not read: a 401 without a token says all there is to know.
  if (result.kind === 'answered') await result.response.body?.cancel()
  return [checkUserinfoCors(url, result, deps.appOrigin)]
}

/** What this tab's session observed with this profile. */
function observed(profile: Profile, endpoints: Endpoints, deps: AuditDeps): Finding[] {
  const { state } = deps
  // The session holds the selected profile's tokens only.
  const tokens = state.selectedId === profile.id ? state.tokens : undefined
  const as = endpoints.as
  const tokenUrls = [as.token_endpoint, profile.refresh_endpoint].filter(
    (url): url is string => url !== undefined,
  )
  const idToken = checkIdTokenAlg(tokens, profile.scope.split(' ').includes('openid'))
  return [
    checkTokenEndpointCors(state.timeline, tokenUrls, deps.appOrigin),
    checkCallbackIss(
      lastCallback(state.timeline, as.authorization_endpoint),
      as.authorization_response_iss_parameter_supported === true,
    ),
    checkRotation(deps.rotation, tokens),
    checkAccessLifetime(tokens),
    checkRefreshLifetime(tokens, deps.now()),
    ...(idToken !== undefined ? [idToken] : []),
  ]
}

/**
 * Audits a profile's provider: its metadata (through `deps.resolve`, which discovers), CORS at
 * its JWKS and userinfo endpoint (plain GETs, no credentials, no token), its keys, and what this
 * tab's session observed (the callback's `iss`, CORS at the token endpoint, rotation, lifetimes,
 * the ID token's `alg`). It sends nothing to the token, authorization or revocation endpoints,
 * and no finding holds a token. Never throws for what the provider does.
 */
export async function runAudit(profile: Profile, deps: AuditDeps): Promise<AuditReport> {
  const server = profile.issuer ?? profile.authorization_endpoint ?? profile.name
  const report = (findings: Finding[]): AuditReport => ({
    profileName: profile.name,
    server,
    at: deps.now(),
    findings,
  })
  const discovers = profile.discovery === true && profile.issuer !== undefined
  let resolved: Awaited<ReturnType<AuditDeps['resolve']>>
  try {
    resolved = await deps.resolve()
  } catch (cause) {
    const refused = refusedMetadata(cause)
    if (refused !== undefined && profile.issuer !== undefined) {
      // What the refused document advertises is still worth knowing; nothing it names is asked.
      const named = typeof refused.issuer === 'string' ? refused.issuer : undefined
      return report([checkIssuer(profile.issuer, named), ...advertised(refused)])
    }
    const error = toAppError(cause, 'discovery request')
    return report([
      finding(
        'Fail',
        `Discovery: ${error.message}`,
        hintFor(error, { origin: deps.appOrigin }),
        DISCOVERY_CITE,
      ),
    ])
  }
  const { endpoints, fallback } = resolved
  const findings: Finding[] = []
  if (discovers && fallback === undefined && profile.issuer !== undefined) {
    findings.push(checkIssuer(profile.issuer, endpoints.as.issuer), ...advertised(endpoints.as))
  } else {
    findings.push(
      finding(
        'Warning',
        fallback !== undefined
          ? `Metadata: discovery failed (${fallback.message}), so the profile's own endpoints were checked and nothing the provider advertises could be.`
          : "Metadata: Discovery is off, so the profile's own endpoints were checked and nothing the provider advertises (PKCE methods, auth methods, iss, grants) could be.",
        fallback !== undefined
          ? hintFor(fallback, { origin: deps.appOrigin })
          : 'Turn on Discovery (with the Issuer) if the provider publishes metadata.',
        DISCOVERY_CITE,
      ),
    )
  }
  const as = endpoints.as
  const [jwks, userinfo] = await Promise.all([
    as.jwks_uri !== undefined ? jwksAudit(as.jwks_uri, deps) : Promise.resolve([]),
    as.userinfo_endpoint !== undefined
      ? userinfoAudit(as.userinfo_endpoint, deps)
      : Promise.resolve([]),
  ])
  if (as.jwks_uri === undefined) {
    findings.push(
      finding(
        'Warning',
        'JWKS: the provider names no jwks_uri.',
        profile.verification_keys !== undefined
          ? "Nothing to change while the profile's Verification keys are current."
          : "ID token signatures cannot be checked: add the provider's keys to the profile's Verification keys, or its JWKS URI.",
        'RFC 8414 §2, OpenID Connect Discovery 1.0 §3',
      ),
    )
  }
  findings.push(...jwks, ...userinfo, ...observed(profile, endpoints, deps))
  return report(findings)
}
