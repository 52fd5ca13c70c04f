// The profiles that point PKCE Console's presets at the simulators: the preset supplies every
// value, the profile only moves the base URLs (and picks the client).
import {
  MYNICKNAME_CLIENT_ID,
  MYNICKNAME_SECRET,
  MYNICKNAME_SECRET_CLIENT_ID,
} from './mynickname-sim.js'
import { NEXUS_CLIENT_ID } from './nexus-sim.js'

/**
 * The `nexus-mods` preset against the Nexus simulator at `base`: discovery from the simulator
 * (whose endpoints win), the guide's endpoints moved to the simulator as the fallback, and the
 * API presets moved too.
 * @param {string} base
 * @param {Record<string, unknown>} [extra]
 */
export function nexusSimProfile(base, extra = {}) {
  return {
    id: 'nexus',
    name: 'Nexus Mods (simulator)',
    preset: 'nexus-mods',
    client_id: NEXUS_CLIENT_ID,
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    userinfo_endpoint: `${base}/oauth/userinfo`,
    revocation_endpoint: `${base}/oauth/revoke`,
    jwks_uri: `${base}/oauth/discovery/keys`,
    requests: [
      { name: 'Userinfo', method: 'GET', url: `${base}/oauth/userinfo` },
      { name: 'v1 tracked mods', method: 'GET', url: `${base}/v1/user/tracked_mods.json` },
      {
        name: 'v2 GraphQL: current user',
        method: 'POST',
        url: `${base}/v2/graphql`,
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ currentUser { name memberId } }"}',
      },
    ],
    ...extra,
  }
}

/**
 * The `mynickname` preset against the MyNickname simulator at `base`: the PKCE flow, or with
 * `secret: true` the secret-based flow (`client_secret`, `pkce: false`).
 * @param {string} base
 * @param {{ secret?: boolean }} [options]
 */
export function myNicknameSimProfile(base, options = {}) {
  return {
    id: options.secret ? 'mynickname-secret' : 'mynickname-pkce',
    name: options.secret ? 'MyNickname with secret (simulator)' : 'MyNickname PKCE (simulator)',
    preset: 'mynickname',
    authorization_endpoint: `${base}/oauth/authenticate`,
    token_endpoint: `${base}/oauth/access_token`,
    refresh_endpoint: `${base}/oauth/refresh_token`,
    requests: [
      { name: 'Nickname', method: 'GET', url: `${base}/v1/nickname` },
      { name: 'Nicknames', method: 'GET', url: `${base}/v1/nicknames` },
    ],
    ...(options.secret
      ? { client_id: MYNICKNAME_SECRET_CLIENT_ID, client_secret: MYNICKNAME_SECRET, pkce: false }
      : { client_id: MYNICKNAME_CLIENT_ID }),
  }
}
