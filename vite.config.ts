import { defineConfig } from 'vitest/config'
import solid from 'vite-plugin-solid'
import { serviceWorker } from './build/service-worker.ts'

export default defineConfig({
  // Relative base: the built app works from any sub-path of a static host.
  base: './',
  plugins: [solid(), serviceWorker()],
  build: {
    target: 'es2022',
    // One small entry chunk; jose and other heavy parts are split by dynamic import().
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // oauth4webapi and the module wrapping its request options get a chunk of their own, and
        // the profile URL rules (which the start page validates with) stay out of it: left to
        // itself the bundler put those rules with that module, so the start page preloaded all
        // of oauth4webapi for them.
        codeSplitting: {
          groups: [
            { name: 'url-rule', test: /profile[\\/]url-rule/, priority: 2 },
            { name: 'oauth4webapi', test: /oauth4webapi|protocol[\\/]oauth-options/, priority: 1 },
          ],
        },
      },
    },
  },
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['tests/unit/setup.ts'],
    // RSA key generation in the JWT tests takes seconds on a loaded two-core runner; a hang is
    // still caught, a slow machine is not a failure.
    testTimeout: 20_000,
    benchmark: { include: ['tests/bench/**/*.bench.ts'] },
  },
})
