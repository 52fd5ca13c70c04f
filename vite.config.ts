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
