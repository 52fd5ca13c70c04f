// `npm start`: the built app and the demo provider, ready to log in with any name.
import { startOidcProvider, demoProfile } from './oidc.js'
import { startStaticServer } from './static-server.js'

const appPort = Number(process.env.APP_PORT ?? 5173)
const providerPort = Number(process.env.DEMO_PROVIDER_PORT ?? 4100)
const appUrl = `http://localhost:${String(appPort)}/`

const provider = await startOidcProvider({
  port: providerPort,
  redirectUris: [appUrl, `http://127.0.0.1:${String(appPort)}/`],
})
const app = await startStaticServer({
  port: appPort,
  providers: () => ({ profiles: [demoProfile(provider.issuer)], default: 'demo' }),
})
console.log(`\nPKCE Console:   ${app.url}`)
console.log(`Demo provider:  ${provider.issuer} (log in with any name and password)\n`)
