// tests/consumer/main.ts again, on oidc-client-ts instead of the library: the size reference of
// `npm run bench` (shared/library.md, "Size"). Code flow with PKCE (S256) through UserManager;
// the session in localStorage so that every tab shares it, as the library's IndexedDB does.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts'
import { $, loadProfile, show } from '../page'

const profile = await loadProfile()
const here = `${location.origin}${location.pathname}`
const manager = new UserManager({
  authority: profile.issuer,
  client_id: profile.client_id,
  redirect_uri: here,
  post_logout_redirect_uri: here,
  response_type: 'code',
  scope: profile.scope,
  extraQueryParams: profile.authorization_params ?? {},
  userStore: new WebStorageStateStore({ store: localStorage }),
  // The refresh happens on demand in getToken(), like the library's; no timer of its own.
  automaticSilentRenew: false,
})

const render = async () => {
  const user = await manager.getUser()
  $('status').textContent = user ? 'Signed in' : 'Signed out'
}
manager.events.addUserLoaded(() => void render())
manager.events.addUserUnloaded(() => void render())

/** The access token: stored when valid beyond a minute, else refreshed with the refresh token. */
async function getToken(): Promise<string> {
  const user = await manager.getUser()
  if (user === null) throw new Error('not signed in')
  if ((user.expires_in ?? 0) > 60) return user.access_token
  const renewed = await manager.signinSilent()
  if (renewed === null) throw new Error('the refresh gave no user')
  return renewed.access_token
}

/** fetch with the bearer token; on a 401, one refresh and one retry. */
async function authorizedFetch(url: string): Promise<Response> {
  const send = (token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } })
  const response = await send(await getToken())
  if (response.status !== 401) return response
  const renewed = await manager.signinSilent()
  if (renewed === null) throw new Error('the refresh gave no user')
  return send(renewed.access_token)
}

$('login').addEventListener('click', () => void manager.signinRedirect().catch(show))
// Revokes the refresh token (the provider cannot revoke its JWT access tokens), then forgets the
// session even when the revocation failed, as the library's logout does.
$('logout').addEventListener('click', () => {
  void manager
    .revokeTokens(['refresh_token'])
    .catch(show)
    .finally(() => manager.removeUser())
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
  await manager.signinRedirectCallback().catch(show)
  history.replaceState(null, '', location.pathname)
}
await render()
