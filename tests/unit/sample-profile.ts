/** The app's URL in unit tests: a copy served from a sub-path. */
export const APP = 'https://app.test/console/'

/** A site profile (providers.json entry) without discovery, as several session tests list it. */
export const site = {
  id: 'site-idp',
  name: 'Site IdP',
  client_id: 'app',
  authorization_endpoint: 'https://id.site.test/authorize',
  token_endpoint: 'https://id.site.test/token',
}
