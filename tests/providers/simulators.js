// Manual trials: `node tests/providers/simulators.js` starts the Nexus Mods and MyNickname
// simulators and, when dist/ is built, the app with a providers.json pointing at them.
// It also starts the misconfigured provider the provider audit is tried against.
// Ports: SIM_APP_PORT (default 5174), NEXUS_SIM_PORT, MYNICKNAME_SIM_PORT and
// MISCONFIGURED_SIM_PORT (default: free ports).
import { existsSync } from 'node:fs'
import { misconfiguredProfiles, startMisconfiguredProvider } from './misconfigured.js'
import { startMyNicknameSim } from './mynickname-sim.js'
import { startNexusSim } from './nexus-sim.js'
import { myNicknameSimProfile, nexusSimProfile } from './sim-profiles.js'
import { startStaticServer } from './static-server.js'

const appPort = Number(process.env.SIM_APP_PORT ?? 5174)
const appUrl = `http://localhost:${String(appPort)}/`
const redirectUris = [appUrl, 'http://localhost:5173/']
const port = (/** @type {string | undefined} */ value) =>
  value === undefined ? {} : { port: Number(value) }

const nexus = await startNexusSim({ redirectUris, ...port(process.env.NEXUS_SIM_PORT) })
const myNickname = await startMyNicknameSim({
  redirectUris,
  ...port(process.env.MYNICKNAME_SIM_PORT),
})
const misconfigured = await startMisconfiguredProvider(port(process.env.MISCONFIGURED_SIM_PORT))
const profiles = [
  nexusSimProfile(nexus.base),
  myNicknameSimProfile(myNickname.base),
  myNicknameSimProfile(myNickname.base, { secret: true }),
  ...misconfiguredProfiles(misconfigured.base),
]

console.log(`Nexus Mods simulator:  ${nexus.base}`)
console.log(`MyNickname simulator:  ${myNickname.base}`)
console.log(`Misconfigured:         ${misconfigured.base} (metadata and JWKS only)`)
console.log(`Redirect URIs allowed: ${redirectUris.join(', ')}`)
if (existsSync('dist/index.html')) {
  const app = await startStaticServer({
    port: appPort,
    providers: () => ({ profiles, default: 'nexus' }),
  })
  console.log(`PKCE Console:          ${app.url} (its providers.json lists the simulators)`)
} else {
  console.log('Run `npx vite build` first to serve the app too. Profiles to import:')
}
console.log(`\n${JSON.stringify({ profiles }, null, 2)}\n`)
