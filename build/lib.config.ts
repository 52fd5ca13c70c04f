// Builds the library (src/core/index.ts) as ESM for `import … from 'pkce-console/core'`:
// dist-lib/core.js and its lazy chunks, the dependencies left to the app's bundler.
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist-lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: { entry: 'src/core/index.ts', formats: ['es'], fileName: 'core' },
    rolldownOptions: { external: ['oauth4webapi', 'jose', 'idb-keyval'] },
  },
})
