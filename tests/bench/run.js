// `npm run bench`: size and speed figures for the closing notes. Not a test: it only measures.
//  - gzip size of the built JS and CSS (the start page's entry chunk, and everything);
//  - time from the callback page's navigation start to the claims table being rendered (median
//    of several logins, in headless Chromium against the demo provider).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from '@playwright/test'
import { demoProfile, startOidcProvider } from '../providers/oidc.js'
import { startStaticServer } from '../providers/static-server.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function sizes() {
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

async function callbackToClaims() {
  let providers
  const app = await startStaticServer({ providers: () => providers })
  const provider = await startOidcProvider({ redirectUris: [app.url], quiet: true })
  providers = { profiles: [demoProfile(provider.issuer)], default: 'demo' }
  const executablePath =
    process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  })
  const timings = []
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      // Runs in every document before its scripts: records when the claims table first appears.
      await page.addInitScript(() => {
        new MutationObserver((_m, observer) => {
          for (const caption of document.querySelectorAll('caption')) {
            if (caption.textContent === 'Access token claims') {
              window.__claimsAt = performance.now()
              observer.disconnect()
            }
          }
        }).observe(document, { childList: true, subtree: true })
      })
      await page.goto(app.url)
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.getByPlaceholder('Enter any login').fill(`user${String(run)}`)
      await page.getByPlaceholder('and password').fill('pw')
      await page.getByRole('button', { name: 'Sign-in' }).click()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('table', { name: 'Access token claims' }).waitFor()
      timings.push(await page.evaluate(() => window.__claimsAt))
      await context.close()
    }
  } finally {
    await browser.close()
    await provider.close()
    await app.close()
  }
  return timings
}

const size = sizes()
const timings = await callbackToClaims()
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
console.log('PKCE Console benchmark')
console.log(`  start page JS (entry chunk), gzip:   ${kb(size.entryJs)}`)
console.log(`  all JS chunks, gzip:                 ${kb(size.totalJs)}`)
console.log(`  CSS, gzip:                           ${kb(size.css)}`)
console.log(
  `  callback navigation start -> claims: median ${median(timings).toFixed(0)} ms over ${String(RUNS)} logins (min ${Math.min(...timings).toFixed(0)}, max ${Math.max(...timings).toFixed(0)})`,
)
