import { maskForm, maskHeader, maskUrl, type TimelineEntry } from '../core/tools'

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`

/**
 * The entry as a `curl` command. Secrets are masked unless `reveal` is true; the body is sent as
 * given (`--data-raw`), so form encoding is kept. A request that carried a DPoP proof says first
 * that the proof cannot be replayed.
 */
export function toCurl(entry: TimelineEntry, reveal: boolean): string {
  if (entry.url === undefined) return ''
  const parts = ['curl']
  const method = entry.method ?? 'GET'
  if (method !== 'GET' || entry.requestBody !== undefined) parts.push('-X', method)
  parts.push(shellQuote(reveal ? entry.url : maskUrl(entry.url)))
  for (const [name, value] of entry.requestHeaders ?? []) {
    parts.push('-H', shellQuote(`${name}: ${reveal ? value : maskHeader(name, value)}`))
  }
  const proof = (entry.requestHeaders ?? []).some(([name]) => name.toLowerCase() === 'dpop')
  if (entry.requestBody !== undefined) {
    const isForm = (entry.requestHeaders ?? []).some(
      ([n, v]) => n.toLowerCase() === 'content-type' && v.includes('x-www-form-urlencoded'),
    )
    const body = reveal || !isForm ? entry.requestBody : maskForm(entry.requestBody)
    parts.push('--data-raw', shellQuote(body))
  }
  // RFC 9449 §11.1: a proof is single-use (unique jti, recent iat, the server's current nonce).
  const note = proof
    ? '# The DPoP proof below was single-use: a server refuses it a second time. A new proof (new jti, iat, nonce) must be signed with the key, which never leaves the browser.\n'
    : ''
  return note + parts.join(' ')
}
