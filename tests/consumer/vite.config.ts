// Builds the library's minimal consumer app (tests/consumer) to dist-consumer/, with relative URLs.
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'tests/consumer',
  base: './',
  build: {
    outDir: '../../dist-consumer',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
})
