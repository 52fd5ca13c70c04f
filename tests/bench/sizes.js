// What `npm run bench` weighs: gzip sizes of built apps, read from their dist folders.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The console's build (dist/): its entry chunk, all its JS chunks and its CSS, gzip. */
export function consoleSizes() {
  const dir = 'dist/assets'
  const html = readFileSync('dist/index.html', 'utf8')
  const entry = /src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1]
  let totalJs = 0
  let entryJs = 0
  let css = 0
  for (const file of readdirSync(dir)) {
    const gz = gzipSync(readFileSync(join(dir, file))).length
    if (file.endsWith('.js')) totalJs += gz
    if (file === entry) entryJs = gz
    if (file.endsWith('.css')) css += gz
  }
  return { entryJs, totalJs, css }
}

/**
 * The start page of a built app: its entry chunk plus every `modulepreload`, gzip -9 (how
 * shared/library.md measures the library's minimal consumer app and its references).
 * @param {string} dir
 */
export function startPageBytes(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])
  if (files.length === 0) throw new Error(`${dir}/index.html names no script: is it built?`)
  return files.reduce(
    (total, file) => total + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length,
    0,
  )
}
