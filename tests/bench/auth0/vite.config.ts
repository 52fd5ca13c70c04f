// Builds the auth0 reference app of `npm run bench` to dist-bench/auth0/.
import { benchAppConfig } from '../app-config.js'

export default benchAppConfig('auth0')
