// Serves the built app (dist/) under any base path, like a static host, plus a providers.json
// the caller controls. No server-side routing: unknown paths are 404, as on a plain static host.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * `otherBasePaths` serve the same build again on the same origin, as a second deployment
 * (production and staging copies of the app on one host). `rewrite`, when it returns a function,
 * may change a file as served (keyed by its path: base path + file, `…/index.html` for `…/`): a test's stand-in for a new deployment.
 * @typedef {(pathname: string, body: Buffer) => Buffer | string} Rewrite
 * @param {{ port?: number, host?: string, root?: string, basePath?: string,
 *   otherBasePaths?: string[], providers: () => unknown, rewrite?: () => Rewrite | undefined }} options
 */
export async function startStaticServer(options) {
  const root = resolve(options.root ?? 'dist')
  const base = options.basePath ?? '/'
  const bases = [base, ...(options.otherBasePaths ?? [])]
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const served = bases.find((path) => url.pathname.startsWith(path))
    if (served === undefined) {
      res.writeHead(404).end('not found')
      return
    }
    let rel = url.pathname.slice(served.length)
    if (rel === '' || rel.endsWith('/')) rel += 'index.html'
    if (rel === 'providers.json') {
      const providers = options.providers()
      if (providers === undefined) {
        res.writeHead(404).end('not found')
        return
      }
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' })
      res.end(typeof providers === 'string' ? providers : JSON.stringify(providers))
      return
    }
    const file = normalize(join(root, rel))
    if (!file.startsWith(root)) {
      res.writeHead(403).end()
      return
    }
    try {
      const read = await readFile(file)
      const body = options.rewrite?.()?.(served + rel, read) ?? read
      res.writeHead(200, {
        'content-type':
          TYPES[/** @type {keyof typeof TYPES} */ (extname(file))] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      })
      res.end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  const host = options.host ?? 'localhost'
  await new Promise((done) =>
    server.listen(options.port ?? 0, host === 'localhost' ? '127.0.0.1' : host, () =>
      done(undefined),
    ),
  )
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `http://${host}:${String(address.port)}${base}`,
    origin: `http://${host}:${String(address.port)}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections()
        server.close(() => done(undefined))
      }),
  }
}
