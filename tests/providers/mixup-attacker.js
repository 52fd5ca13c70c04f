// A provider that attacks another one (the mix-up attack, RFC 9207 §1, RFC 9700 §4.4): its
// authorization endpoint forwards the browser, with our client_id, state, nonce and code challenge,
// to an honest provider's; its token endpoint hopes to receive that provider's code and the PKCE
// verifier, to redeem them itself. It records every request it gets.
import { createServer } from 'node:http'

/** @param {{ target: () => string, port?: number }} options target: the honest authorization endpoint */
export async function startMixUpAttacker(options) {
  /** @type {{ method: string, path: string, body: string }[]} */
  const requests = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    let body = ''
    req.on('data', (chunk) => (body += String(chunk)))
    req.on('end', () => {
      const cors = req.headers.origin
        ? {
            'access-control-allow-origin': req.headers.origin,
            'access-control-allow-headers': 'authorization, content-type, dpop',
          }
        : {}
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors).end()
        return
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname, body })
      if (url.pathname === '/authorize') {
        const honest = new URL(options.target())
        for (const [name, value] of url.searchParams) honest.searchParams.set(name, value)
        res.writeHead(302, { location: honest.href }).end()
        return
      }
      res.writeHead(400, { ...cors, 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'invalid_grant' }))
    })
  })
  await new Promise((done) => server.listen(options.port ?? 0, '127.0.0.1', () => done(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const origin = `http://localhost:${String(address.port)}`
  return {
    origin,
    requests,
    /** Requests that reached the token endpoint: what the attacker would redeem. */
    tokenRequests: () => requests.filter((r) => r.path === '/token'),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections()
        server.close(() => done(undefined))
      }),
  }
}
