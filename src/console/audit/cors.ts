import { abortedByTimeout, type TimelineEntry } from '../../core/tools'
import { finding, notCheckedYet, type Finding } from './finding'

/** What a plain GET got: an answer script may read, a refusal (CORS or network), or no answer in time. */
export type Probe =
  { kind: 'answered'; response: Response } | { kind: 'blocked' } | { kind: 'timeout' }

const CITE = 'RFC 10017 §6.3.3.4'

/**
 * A GET that cannot change state: no credentials, no token, no custom header (so no preflight).
 * A browser rejects with a TypeError both when CORS refuses the answer and when the network is
 * down; it does not say which.
 */
export async function probe(url: string, fetchImpl: typeof fetch): Promise<Probe> {
  try {
    return {
      kind: 'answered',
      response: await fetchImpl(url, { method: 'GET', credentials: 'omit' }),
    }
  } catch (cause) {
    return abortedByTimeout(cause) ? { kind: 'timeout' } : { kind: 'blocked' }
  }
}

/** CORS at the JWKS: the keys must be readable from the page to check ID token signatures. */
export function checkJwksCors(url: string, result: Probe, appOrigin: string): Finding {
  switch (result.kind) {
    case 'answered':
      return finding(
        'Pass',
        `CORS at the JWKS: ${url} answered this page (HTTP ${String(result.response.status)}).`,
        'Nothing to change.',
        CITE,
      )
    case 'timeout':
      return finding(
        'Warning',
        `CORS at the JWKS: ${url} gave no answer in time.`,
        'Try again; if it stays silent, ID token signatures cannot be checked.',
        CITE,
      )
    case 'blocked':
      return finding(
        'Fail',
        `CORS at the JWKS: ${url} gave no answer this page may read (the provider does not allow this origin, or the network is down).`,
        `Ask the provider to serve its JWKS with Access-Control-Allow-Origin (* or ${appOrigin}); until then ID token signatures cannot be checked in the browser.`,
        CITE,
      )
  }
}

/**
 * CORS at the userinfo endpoint, asked without a token: a 401 the page can read shows the
 * provider's CORS rule admits this origin. A refusal is a warning: some providers add CORS
 * headers only to answers for a valid token.
 */
export function checkUserinfoCors(url: string, result: Probe, appOrigin: string): Finding {
  switch (result.kind) {
    case 'answered':
      return finding(
        'Pass',
        `CORS at the userinfo endpoint: ${url}, asked without a token, answered this page (HTTP ${String(result.response.status)}).`,
        'Nothing to change.',
        CITE,
      )
    case 'timeout':
      return finding(
        'Warning',
        `CORS at the userinfo endpoint: ${url} gave no answer in time.`,
        'Try again later.',
        CITE,
      )
    case 'blocked':
      return finding(
        'Warning',
        `CORS at the userinfo endpoint: ${url}, asked without a token, gave no answer this page may read (the provider does not allow this origin, or the network is down).`,
        `Ask the provider to allow the origin ${appOrigin} at its userinfo endpoint. Some providers add CORS headers only for a valid token: a userinfo call from the API console tells for sure.`,
        CITE,
      )
  }
}

/** A status such as `200 OK` or `401 Unauthorized`: an answer reached the page. */
const answered = (entry: TimelineEntry) => /^\d{3}\b/.test(entry.status ?? '')

/**
 * CORS at the token endpoint, from what this tab's session saw: the audit never sends anything
 * there itself (a made-up request could use up or revoke a grant). A code exchange or refresh
 * that got an answer passes; one that got none (`network error`: the browser's TypeError, which
 * the app reports as `cors_blocked`) fails.
 */
export function checkTokenEndpointCors(
  timeline: readonly TimelineEntry[],
  tokenUrls: readonly string[],
  appOrigin: string,
): Finding {
  const steps = timeline.filter(
    (entry) =>
      (entry.step === 'code exchange' || entry.step === 'refresh') &&
      entry.url !== undefined &&
      tokenUrls.includes(entry.url),
  )
  const ok = steps.findLast(answered)
  if (ok !== undefined) {
    return finding(
      'Pass',
      `CORS at the token endpoint: this tab's ${ok.step} at ${String(ok.url)} got an answer it could read (${String(ok.status)}).`,
      'Nothing to change.',
      CITE,
    )
  }
  const blocked = steps.findLast((entry) => entry.status === 'network error')
  if (blocked !== undefined) {
    return finding(
      'Fail',
      `CORS at the token endpoint: this tab's ${blocked.step} at ${String(blocked.url)} got no answer it could read (the provider does not allow this origin, or the network was down).`,
      `Ask the provider to allow the origin ${appOrigin} at its token endpoint, or use a provider that supports browser-based apps.`,
      CITE,
    )
  }
  return notCheckedYet(
    'CORS at the token endpoint: not checked yet: log in once in this tab (the audit itself never sends anything to the token endpoint).',
    'Press Log in, then Audit provider again.',
    CITE,
  )
}
