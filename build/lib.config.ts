// Builds the library as ESM: src/core/index.ts as dist-lib/core.js (`pkce-console/core`), and
// src/core/tools.ts as dist-lib/tools.js (`pkce-console/core/tools`), with their lazy chunks;
// the dependencies are left to the app's bundler.
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist-lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { core: 'src/core/index.ts', tools: 'src/core/tools.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: { external: ['oauth4webapi', 'jose', 'idb-keyval'] },
  },
})
