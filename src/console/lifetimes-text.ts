import type { LifetimeKind, LifetimeLog } from './lifetimes'
import { numberRows } from './lifetimes-chart'

/** What each kind is called in the chart's lanes, its table and its text alternative. */
export const KIND_NAMES: Record<
  LifetimeKind,
  { lane: string; name: string; one: string; many: string }
> = {
  access: { lane: 'Access', name: 'Access token', one: 'access token', many: 'access tokens' },
  id: { lane: 'ID', name: 'ID token', one: 'ID token', many: 'ID tokens' },
  refresh: { lane: 'Refresh', name: 'Refresh token', one: 'refresh token', many: 'refresh tokens' },
}

/**
 * A distance in time as a reader rounds it ("in 4 min", "2 h ago"): coarse on purpose, so the
 * picture's text alternative does not change every second.
 */
export function roughly(ms: number): string {
  const ahead = ms >= 0
  const size = Math.abs(ms)
  let amount: string
  if (size < 60_000) return ahead ? 'in under a minute' : 'less than a minute ago'
  if (size < 3_600_000) amount = `${Math.floor(size / 60_000)} min`
  else if (size < 48 * 3_600_000) amount = `${Math.floor(size / 3_600_000)} h`
  else amount = `${Math.floor(size / 86_400_000)} days`
  return ahead ? `in ${amount}` : `${amount} ago`
}

const count = (n: number, kind: LifetimeKind) =>
  `${n} ${n === 1 ? KIND_NAMES[kind].one : KIND_NAMES[kind].many}`

function list(parts: string[]): string {
  if (parts.length <= 1) return parts.join('')
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`
}

/**
 * The picture's text alternative: how many tokens of each kind, the refreshes, and where the
 * current access token (and refresh token, when known) stands. E.g. "3 access tokens, 1 ID token
 * and 2 refresh tokens in this tab's session; 2 refreshes; the current access token expires in 4
 * min."
 */
export function describeLifetimes(log: LifetimeLog, now: number, hidden = 0): string {
  const kinds: LifetimeKind[] = ['access', 'id', 'refresh']
  const counts = kinds
    .map((kind) => ({ kind, n: log.rows.filter((row) => row.kind === kind).length }))
    .filter(({ n }) => n > 0)
  if (counts.length === 0) return 'No tokens issued yet in this tab.'
  const sentences = [`${list(counts.map(({ kind, n }) => count(n, kind)))} in this tab's session`]
  const refreshes = log.rows.filter((row) => row.kind === 'access' && row.via === 'refresh').length
  if (refreshes > 0) sentences.push(`${refreshes} ${refreshes === 1 ? 'refresh' : 'refreshes'}`)
  const signedOut = log.signOuts.at(-1)
  const last = (kind: LifetimeKind) => log.rows.filter((row) => row.kind === kind).at(-1)
  const access = last('access')
  if (signedOut !== undefined && access !== undefined && signedOut >= access.issuedAt) {
    sentences.push(`signed out ${roughly(signedOut - now)}`)
  } else if (access !== undefined) {
    const at = access.expiresAt
    sentences.push(
      at === undefined
        ? 'the current access token has no known expiry'
        : at > now
          ? `the current access token expires ${roughly(at - now)}`
          : `the current access token expired ${roughly(at - now)}`,
    )
    const refresh = last('refresh')
    if (refresh !== undefined)
      sentences.push(
        refresh.expiresAt === undefined
          ? "the refresh token's expiry is unknown (the provider does not say)"
          : `the refresh token ${refresh.expiresAt > now ? 'expires' : 'expired'} ${roughly(refresh.expiresAt - now)}`,
      )
  }
  if (hidden > 0) sentences.push(`the picture leaves out the ${hidden} oldest (see the table)`)
  return `${sentences.join('; ')}.`
}

/** A tick's label: seconds only when the step needs them, the date when steps are days. */
export function tickLabel(at: number, step: number, locale?: string, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions =
    step >= 86_400_000
      ? { day: 'numeric', month: 'short' }
      : { hour: '2-digit', minute: '2-digit', ...(step < 60_000 ? { second: '2-digit' } : {}) }
  return new Intl.DateTimeFormat(locale, {
    ...options,
    ...(timeZone !== undefined ? { timeZone } : {}),
  }).format(at)
}

/** One row of the table `Token lifetimes data`. */
export interface LifetimeTableRow {
  /** "Access token 2", with a no-break space before the number */
  token: string
  via: 'sign-in' | 'refresh'
  issuedAt: number
  expiresAt: number | undefined
}

/** The table's rows, in the order the tokens arrived, numbered per kind as the lanes are. */
export function lifetimeTable(log: LifetimeLog): LifetimeTableRow[] {
  return numberRows(log.rows).map(({ row, n }) => ({
    // A no-break space: a narrow column wraps "Access / token 1", never "Access token / 1".
    token: `${KIND_NAMES[row.kind].name}\u00a0${n}`,
    via: row.via,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
  }))
}
