// Builds the bare reference app of `npm run bench` to dist-bench/bare/.
import { benchAppConfig } from '../app-config.js'

export default benchAppConfig('bare')
