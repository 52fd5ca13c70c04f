// How every reference app of `npm run bench` is built: like the library's minimal consumer app
// (tests/consumer/vite.config.ts), so that their start pages are measured on equal terms.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

/**
 * The Vite config that builds `tests/bench/<name>/` into `dist-bench/<name>/`, relative URLs.
 * @param {string} name
 */
export function benchAppConfig(name) {
  return defineConfig({
    root: resolve(import.meta.dirname, name),
    base: './',
    build: {
      outDir: resolve(import.meta.dirname, '../../dist-bench', name),
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: { polyfill: false },
    },
  })
}
