// Builds the oidc-client-ts reference app of `npm run bench` to dist-bench/oidc-client-ts/.
import { benchAppConfig } from '../app-config.js'

export default benchAppConfig('oidc-client-ts')
