// tests/consumer/main.ts again, on @auth0/auth0-spa-js instead of the library: the second size
// reference of `npm run bench` (shared/library.md, "Size"). Code flow with PKCE and refresh tokens
// kept in localStorage. It builds against any issuer, but logs in only at an Auth0-like tenant
// (`/authorize`, `/oauth/token`, an https issuer): the bench measures its size, not its login.
import { createAuth0Client } from '@auth0/auth0-spa-js'
import { $, loadProfile, show } from '../page'

const profile = await loadProfile()
const here = `${location.origin}${location.pathname}`
const auth0 = await createAuth0Client({
  domain: profile.issuer,
  clientId: profile.client_id,
  authorizationParams: {
    redirect_uri: here,
    scope: profile.scope,
    ...profile.authorization_params,
  },
  useRefreshTokens: true,
  cacheLocation: 'localstorage',
})

const render = async () => {
  $('status').textContent = (await auth0.isAuthenticated()) ? 'Signed in' : 'Signed out'
}

/** The access token: cached when valid, else refreshed with the refresh token. */
async function getToken(cacheMode: 'on' | 'off' = 'on'): Promise<string> {
  const token = await auth0.getTokenSilently({ cacheMode })
  if (token === undefined) throw new Error('not signed in')
  return token
}

/** fetch with the bearer token; on a 401, one refresh and one retry. */
async function authorizedFetch(url: string): Promise<Response> {
  const send = (token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } })
  const response = await send(await getToken())
  if (response.status !== 401) return response
  return send(await getToken('off'))
}

$('login').addEventListener('click', () => void auth0.loginWithRedirect().catch(show))
$('logout').addEventListener('click', () => {
  void auth0
    .revokeRefreshToken()
    .then(() => auth0.logout({ openUrl: false }))
    .then(render)
    .catch(show)
})
$('call').addEventListener('click', () => {
  const url = String(profile.requests[0]?.url)
  void authorizedFetch(url)
    .then(async (response) => {
      $('answer').textContent = `${String(response.status)} ${await response.text()}`
    })
    .catch(show)
})

const params = new URLSearchParams(location.search)
if (params.has('state') && (params.has('code') || params.has('error'))) {
  await auth0.handleRedirectCallback().catch(show)
  history.replaceState(null, '', location.pathname)
}
await render()
