import type { StoredTokens } from '../../core/tools'
import { finding, notCheckedYet, type Finding } from './finding'
import { duration } from './duration'
import type { RotationTally } from './rotation'

const ROTATION_CITE = 'RFC 9700 §2.2.2, RFC 10017 §6.3.2.3'

/**
 * Observed: whether refreshes in this tab returned a new refresh token. A public client's bearer
 * refresh token must be rotated (or sender-constrained): one refresh that kept it fails.
 */
export function checkRotation(
  tally: RotationTally | undefined,
  tokens: StoredTokens | undefined,
): Finding {
  const rotated = tally?.rotated ?? 0
  const kept = tally?.kept ?? 0
  const total = rotated + kept
  if (kept > 0) {
    return finding(
      'Fail',
      `Refresh token rotation: ${String(kept)} of ${String(total)} refreshes in this tab returned the same refresh token.`,
      'Ask the provider to rotate refresh tokens for public clients (or to bind them with DPoP): otherwise a stolen refresh token keeps working until it expires.',
      ROTATION_CITE,
    )
  }
  if (rotated > 0) {
    return finding(
      'Pass',
      `Refresh token rotation: ${rotated === 1 ? 'the refresh' : `each of the ${String(rotated)} refreshes`} in this tab returned a new refresh token.`,
      'Nothing to change.',
      ROTATION_CITE,
    )
  }
  if (tokens !== undefined && tokens.refresh_token === undefined) {
    return finding(
      'Pass',
      'Refresh token rotation: no refresh token was issued, so there is none to rotate.',
      'Nothing to change.',
      ROTATION_CITE,
    )
  }
  return notCheckedYet(
    tokens === undefined
      ? 'Refresh token rotation: not checked yet: log in once in this tab, then press Refresh now.'
      : 'Refresh token rotation: not checked yet: press Refresh now.',
    'Then press Audit provider again.',
    ROTATION_CITE,
  )
}

/**
 * The refresh token's lifetime, when the provider told it (`refresh_expires_at`, from
 * `refresh_expires_in`): bounded passes, not said is a warning (it cannot be seen from here).
 */
export function checkRefreshLifetime(tokens: StoredTokens | undefined, now: number): Finding {
  const cite = 'RFC 9700 §4.14.2, RFC 10017 §6.3.2.3'
  if (tokens === undefined) {
    return notCheckedYet(
      'Refresh token lifetime: not checked yet: log in once in this tab.',
      'Press Log in, then Audit provider again.',
      cite,
    )
  }
  if (tokens.refresh_token === undefined) {
    return finding(
      'Pass',
      'Refresh token lifetime: no refresh token was issued.',
      'Nothing to change.',
      cite,
    )
  }
  if (tokens.refresh_expires_at === undefined) {
    return finding(
      'Warning',
      'Refresh token lifetime: unknown: the provider did not say (no refresh_expires_in in its answer).',
      "Check the provider's settings for a maximum refresh token lifetime or an idle timeout: a browser app's refresh token must not live for ever.",
      cite,
    )
  }
  const left = tokens.refresh_expires_at - now
  return finding(
    'Pass',
    `Refresh token lifetime: bounded: ${left > 0 ? `it expires in ${duration(left)}` : 'it has expired'} (refresh_expires_in).`,
    'Nothing to change.',
    cite,
  )
}
