// `npm run bench`: size and speed figures for the closing notes. Not a test: it only measures.
//  - gzip sizes: the console's JS and CSS; the start pages (entry + modulepreloads, gzip -9) of
//    the library's minimal consumer app, of the same app on oidc-client-ts and on auth0-spa-js,
//    and of the console, with the ratios shared/library.md and issue 14 set goals for;
//  - time from the callback page's navigation start to the claims table being rendered (median
//    of several logins, in headless Chromium against the demo provider), for the console and for
//    a bare oauth4webapi + idb-keyval app doing the same callback;
//  - a three-tab refresh run, and Lighthouse on the signed-out start page.
import { readFileSync } from 'node:fs'
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../providers/chromium.js'
import { demoProfile, startOidcProvider } from '../providers/oidc.js'
import { startStaticServer } from '../providers/static-server.js'
import { lighthouseScores } from './lighthouse.js'
import { consoleSizes, startPageBytes } from './sizes.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function launch() {
  return chromium.launch(chromiumLaunchOptions())
}

/**
 * The console (dist/) and the bare reference app (dist-bench/bare/), each on its own origin,
 * logging in to one demo provider that knows both; the caller closes them.
 * @param {{ accessTokenTTL?: number }} [options]
 */
async function startApps(options = {}) {
  let providers
  const app = await startStaticServer({ providers: () => providers })
  const bare = await startStaticServer({ root: 'dist-bench/bare', providers: () => providers })
  const provider = await startOidcProvider({
    redirectUris: [app.url, bare.url],
    quiet: true,
    ...options,
  })
  providers = { profiles: [demoProfile(provider.issuer)], default: 'demo' }
  const close = async () => {
    await provider.close()
    await app.close()
    await bare.close()
  }
  return { app, bare, provider, close }
}

/** Logs in at the demo provider from an app's start page, as `user`. */
async function logIn(page, url, user) {
  await page.goto(url)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByPlaceholder('Enter any login').fill(user)
  await page.getByPlaceholder('and password').fill('pw')
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('table', { name: 'Access token claims' }).waitFor()
}

/**
 * One login in a clean context: ms from the callback page's navigation start to its table
 * captioned `Access token claims` (both apps render one); with `reload`, also the same for a
 * reload of the signed-in page (a returning user), which the bare app does not do.
 */
async function timedLogin(browser, url, user, reload = false) {
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
  await logIn(page, url, user)
  const at = await page.evaluate(() => window.__claimsAt)
  let reloadAt
  if (reload) {
    await page.reload()
    await page.getByRole('table', { name: 'Access token claims' }).waitFor()
    reloadAt = await page.evaluate(() => window.__claimsAt)
  }
  await context.close()
  return { at, reloadAt }
}

/** `RUNS` logins into each app, taking turns so that a busy moment of the machine hits both. */
async function callbackToClaims() {
  const { app, bare, close } = await startApps()
  const browser = await launch()
  const timings = { console: [], bare: [], reload: [] }
  try {
    for (let run = 0; run < RUNS; run++) {
      const signedIn = await timedLogin(browser, app.url, `user${String(run)}`, true)
      timings.console.push(signedIn.at)
      timings.reload.push(signedIn.reloadAt)
      timings.bare.push((await timedLogin(browser, bare.url, `bare${String(run)}`)).at)
    }
  } finally {
    await browser.close()
    await close()
  }
  return timings
}

/**
 * Three tabs of one browser, each sending bursts of API calls across three expiry windows of a
 * 6-second access token: returns how many refreshes the server saw and whether the grant survived.
 */
async function multiTab() {
  const { app, provider, close } = await startApps({ accessTokenTTL: 6 })
  const browser = await launch()
  try {
    const context = await browser.newContext()
    const first = await context.newPage()
    await logIn(first, app.url, 'bench')
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
    await close()
  }
}

/** Lighthouse on the console's start page, signed out, with the demo profile in providers.json. */
async function lighthouse() {
  const { app, close } = await startApps()
  try {
    return await lighthouseScores(app.url)
  } finally {
    await close()
  }
}

const version = (name) =>
  JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version
const size = consoleSizes()
const start = {
  library: startPageBytes('dist-consumer'),
  oidcClientTs: startPageBytes('dist-bench/oidc-client-ts'),
  auth0: startPageBytes('dist-bench/auth0'),
  console: startPageBytes('dist'),
  bare: startPageBytes('dist-bench/bare'),
}
const timings = await callbackToClaims()
const tabs = await multiTab()
const scores = await lighthouse()

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
const bytes = (n) => `${String(n).padStart(6)} B (${kb(n)})`
const goal = (ratio, limit) =>
  `${ratio.toFixed(2)} × (goal ≤ ${limit.toFixed(2)}: ${ratio <= limit ? 'met' : 'NOT met'})`
const spread = (values) =>
  `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`
const ms = (value) => `${value.toFixed(0)} ms`

console.log('PKCE Console benchmark')
console.log(`  start page JS (entry chunk), gzip:   ${kb(size.entryJs)}`)
console.log(`  all JS chunks, gzip:                 ${kb(size.totalJs)}`)
console.log(`  CSS, gzip:                           ${kb(size.css)}`)
console.log('Start pages, entry chunk + modulepreloads, gzip -9:')
const startPages = [
  ['library: minimal consumer app (tests/consumer)', start.library],
  [`same app on oidc-client-ts ${version('oidc-client-ts')}`, start.oidcClientTs],
  [`same app on @auth0/auth0-spa-js ${version('@auth0/auth0-spa-js')}`, start.auth0],
  ['console start page (dist/)', start.console],
  ['bare callback app (tests/bench/bare)', start.bare],
]
for (const [label, value] of startPages) console.log(`  ${label.padEnd(50)} ${bytes(value)}`)
console.log(
  `  library / oidc-client-ts: ${goal(start.library / start.oidcClientTs, 0.75)}; library / auth0-spa-js: ${(start.library / start.auth0).toFixed(2)} ×`,
)
console.log(`  console / oidc-client-ts (issue 14): ${goal(start.console / start.oidcClientTs, 1)}`)
console.log(`Callback navigation start -> claims table, ${String(RUNS)} logins each, taking turns:`)
console.log(`  console:                            ${spread(timings.console)}`)
console.log(`  bare (oauth4webapi + idb-keyval):   ${spread(timings.bare)}`)
console.log(`  console / bare: ${goal(median(timings.console) / median(timings.bare), 1)}`)
console.log(
  `  console, reload of the signed-in page -> claims (a returning user): ${spread(timings.reload)}`,
)
console.log(
  `Multi-tab run: ${String(tabs.tabs)} tabs sending bursts of 10 calls (6 s tokens, refreshed 1.5 s before expiry) -> ${String(tabs.refreshRequests)} refreshes at the server over ${(tabs.elapsed / 1000).toFixed(1)} s, shortest gap between two refreshes ${String(tabs.minGap)} ms (a duplicate would be ~0); ${String(tabs.apiCalls)} API calls, ${String(tabs.apiRefused)} refused, ${String(tabs.grantsRevoked)} grants revoked`,
)
console.log(
  `Lighthouse ${version('lighthouse')} (mobile, simulated throttling), console start page signed out:`,
)
console.log(
  `  performance ${String(scores.performance)}, accessibility ${String(scores.accessibility)}, best practices ${String(scores.bestPractices)}; LCP ${ms(scores.lcp)}, TBT ${ms(scores.tbt)}, CLS ${scores.cls.toFixed(3)}${scores.failed.length > 0 ? `; failed audits: ${scores.failed.join(', ')}` : ''}`,
)
