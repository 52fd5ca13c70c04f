// A Vite plugin that writes sw.js: src/offline/sw.ts bundled on its own as a classic script, with
// the build's file list and a version hash put in. No Workbox: see the README, "Offline and install".
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { build, type Plugin, type ResolvedConfig } from 'vite'
import { precacheUrls, type PrecacheManifest } from '../src/offline/precache.ts'

/** Every file under `dir`, as paths relative to it with `/` separators. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
}

/** The version of a build: a hash over every precached file's name and content. */
export function manifestOf(files: ReadonlyMap<string, string | Uint8Array>): PrecacheManifest {
  const urls = precacheUrls([...files.keys()])
  const hash = createHash('sha256')
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name)
    if (content === undefined || name === 'sw.js') continue
    hash.update(name).update('\0').update(content).update('\0')
  }
  return { version: hash.digest('hex').slice(0, 16), urls }
}

/** Emits `sw.js` next to `index.html`; only in production builds. */
export function serviceWorker(): Plugin {
  let config: ResolvedConfig
  return {
    name: 'pkce-console:service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved
    },
    async generateBundle(_options, bundle) {
      const files = new Map<string, string | Uint8Array>()
      for (const [name, output] of Object.entries(bundle))
        files.set(name, output.type === 'chunk' ? output.code : output.source)
      // The public directory (icons, manifest) is copied beside the bundle, not part of it.
      if (config.publicDir) {
        for (const name of await filesUnder(config.publicDir))
          files.set(name, await readFile(join(config.publicDir, name)))
      }
      if (!files.has('index.html')) this.error('service worker: the build has no index.html')
      const manifest = manifestOf(files)
      const result = await build({
        configFile: false,
        root: config.root,
        publicDir: false,
        logLevel: 'warn',
        define: { __PRECACHE_MANIFEST__: JSON.stringify(manifest) },
        build: {
          write: false,
          target: config.build.target,
          minify: true,
          lib: {
            entry: resolve(config.root, 'src/offline/sw.ts'),
            formats: ['iife'],
            name: 'sw',
            fileName: () => 'sw.js',
          },
        },
      })
      const outputs = Array.isArray(result) ? result : [result]
      const chunk = outputs
        .flatMap((output) => ('output' in output ? output.output : []))
        .find((item) => item.type === 'chunk')
      if (chunk?.type !== 'chunk') this.error('service worker: the worker build gave no chunk')
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: chunk.code })
    },
  }
}
