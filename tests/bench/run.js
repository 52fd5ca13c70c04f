// `npm run bench`: size and speed figures for the closing notes. Not a test: it only measures.
//  - gzip size of the built JS and CSS (the start page's entry chunk, and everything);
//  - time from the callback page's navigation start to the claims table being rendered (median
//    of several logins, in headless Chromium against the demo provider).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../providers/chromium.js'
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

/**
 * The start page of a built app: its entry chunk plus every `modulepreload`, gzip -9 (how
 * shared/library.md measures the library's minimal consumer app).
 */
function startPageBytes(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])
  return files.reduce(
    (total, file) => total + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length,
    0,
  )
}

function launch() {
  return chromium.launch(chromiumLaunchOptions())
}

async function callbackToClaims() {
  let providers
  const app = await startStaticServer({ providers: () => providers })
  const provider = await startOidcProvider({ redirectUris: [app.url], quiet: true })
  providers = { profiles: [demoProfile(provider.issuer)], default: 'demo' }
  const browser = await launch()
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

/**
 * Three tabs of one browser, each sending bursts of API calls across three expiry windows of a
 * 4-second access token: returns how many refreshes the server saw and whether the grant survived.
 */
async function multiTab() {
  let providers
  const app = await startStaticServer({ providers: () => providers })
  const provider = await startOidcProvider({
    redirectUris: [app.url],
    quiet: true,
    accessTokenTTL: 6,
  })
  providers = { profiles: [demoProfile(provider.issuer)], default: 'demo' }
  const browser = await launch()
  try {
    const context = await browser.newContext()
    const first = await context.newPage()
    await first.goto(app.url)
    await first.getByRole('button', { name: 'Log in' }).click()
    await first.getByPlaceholder('Enter any login').fill('bench')
    await first.getByPlaceholder('and password').fill('pw')
    await first.getByRole('button', { name: 'Sign-in' }).click()
    await first.getByRole('button', { name: 'Continue' }).click()
    await first.getByRole('table', { name: 'Access token claims' }).waitFor()
    const pages = [first]
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage()
      await page.goto(app.url)
      await page.getByRole('table', { name: 'Access token claims' }).waitFor()
      pages.push(page)
    }
    const windows = 3
    for (let window = 1; window <= windows; window++) {
      await Promise.all(
        pages.map(async (page) => {
          const send = page.getByRole('button', { name: 'Send' })
          for (let call = 0; call < 10; call++) await send.click()
        }),
      )
      while (provider.counters.refreshRequests < window) await new Promise((r) => setTimeout(r, 50))
    }
    // Let the last burst's answers land before reading the counters.
    await new Promise((r) => setTimeout(r, 500))
    const times = provider.refreshTimes
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t))
    const elapsed = (times.at(-1) ?? 0) - (times[0] ?? 0)
    return { windows, tabs: pages.length, minGap: Math.min(...gaps), elapsed, ...provider.counters }
  } finally {
    await browser.close()
    await provider.close()
    await app.close()
  }
}

const size = sizes()
const library = startPageBytes('dist-consumer')
const timings = await callbackToClaims()
const tabs = await multiTab()
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
console.log('PKCE Console benchmark')
console.log(`  start page JS (entry chunk), gzip:   ${kb(size.entryJs)}`)
console.log(`  all JS chunks, gzip:                 ${kb(size.totalJs)}`)
console.log(`  CSS, gzip:                           ${kb(size.css)}`)
console.log(`  library: minimal consumer app (tests/consumer) start page, gzip -9: ${kb(library)}`)
console.log(
  `  callback navigation start -> claims: median ${median(timings).toFixed(0)} ms over ${String(RUNS)} logins (min ${Math.min(...timings).toFixed(0)}, max ${Math.max(...timings).toFixed(0)})`,
)
console.log(
  `  multi-tab run: ${String(tabs.tabs)} tabs sending bursts of 10 calls (6 s tokens, refreshed 1.5 s before expiry) -> ${String(tabs.refreshRequests)} refreshes at the server over ${(tabs.elapsed / 1000).toFixed(1)} s, shortest gap between two refreshes ${String(tabs.minGap)} ms (a duplicate would be ~0); ${String(tabs.apiCalls)} API calls, ${String(tabs.apiRefused)} refused, ${String(tabs.grantsRevoked)} grants revoked`,
)
