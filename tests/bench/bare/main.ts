// The bare reference for the callback path (`npm run bench`): what the console's callback does,
// with nothing but oauth4webapi, idb-keyval and a table. Login discovers the provider and keeps
// the login record (metadata, state, PKCE verifier) in sessionStorage; the callback checks the
// answer (state, RFC 9207 iss), exchanges the code (PKCE S256, RFC 7636), stores the tokens in
// IndexedDB and renders the access token's claims (decoded, not verified) in a table.
import { set } from 'idb-keyval'
import * as oauth from 'oauth4webapi'
import { $, loadProfile, show } from '../page'

const RECORD_KEY = 'bare:login'

interface LoginRecord {
  as: oauth.AuthorizationServer
  client: oauth.Client
  redirect_uri: string
  state: string
  code_verifier: string
}

/** oauth4webapi refuses http: unless told: allowed for loopback only (the bench's provider). */
const options = (url: string) => {
  const { protocol, hostname } = new URL(url)
  const loopback = protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1')
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback http: only
  return loopback ? { [oauth.allowInsecureRequests]: true } : {}
}

async function login() {
  const profile = await loadProfile()
  const issuer = new URL(profile.issuer)
  const response = await oauth.discoveryRequest(issuer, options(profile.issuer))
  const as = await oauth.processDiscoveryResponse(issuer, response)
  if (as.authorization_endpoint === undefined) throw new Error('no authorization_endpoint')
  const record: LoginRecord = {
    as,
    client: { client_id: profile.client_id },
    redirect_uri: `${location.origin}${location.pathname}`,
    state: oauth.generateRandomState(),
    code_verifier: oauth.generateRandomCodeVerifier(),
  }
  sessionStorage.setItem(RECORD_KEY, JSON.stringify(record))
  const url = new URL(as.authorization_endpoint)
  url.search = new URLSearchParams({
    ...profile.authorization_params,
    client_id: profile.client_id,
    redirect_uri: record.redirect_uri,
    response_type: 'code',
    scope: profile.scope,
    state: record.state,
    code_challenge: await oauth.calculatePKCECodeChallenge(record.code_verifier),
    code_challenge_method: 'S256',
  }).toString()
  location.assign(url)
}

async function callback(record: LoginRecord) {
  const { as, client } = record
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), record.state)
  history.replaceState(null, '', location.pathname)
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    record.redirect_uri,
    record.code_verifier,
    options(String(as.token_endpoint)),
  )
  const answer = await oauth.processAuthorizationCodeResponse(as, client, response)
  const tokens = {
    access_token: answer.access_token,
    token_type: answer.token_type,
    // Absolute time: a stored expires_in would be wrong on the next page load.
    expires_at: Date.now() + (answer.expires_in ?? 0) * 1000,
    refresh_token: answer.refresh_token,
    id_token: answer.id_token,
    scope: answer.scope,
  }
  await set('bare:tokens', tokens)
  renderClaims(decodePayload(tokens.access_token))
  $('status').textContent = 'Signed in'
}

/** A JWT's payload, decoded and not verified (the bench's provider issues JWT access tokens). */
function decodePayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1]
  if (part === undefined) throw new Error('the access token is not a JWT')
  const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
    c.charCodeAt(0),
  )
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>
}

function renderClaims(claims: Record<string, unknown>) {
  const table = document.createElement('table')
  table.createCaption().textContent = 'Access token claims'
  const body = table.createTBody()
  for (const [name, value] of Object.entries(claims)) {
    const row = body.insertRow()
    const header = document.createElement('th')
    header.scope = 'row'
    header.textContent = name
    row.append(header)
    row.insertCell().textContent = typeof value === 'string' ? value : JSON.stringify(value)
  }
  $('claims').replaceChildren(table)
}

$('login').addEventListener('click', () => void login().catch(show))
const saved = sessionStorage.getItem(RECORD_KEY)
const search = new URLSearchParams(location.search)
if (saved !== null && search.has('state')) {
  sessionStorage.removeItem(RECORD_KEY)
  await callback(JSON.parse(saved) as LoginRecord).catch(show)
} else {
  $('status').textContent = 'Signed out'
}
