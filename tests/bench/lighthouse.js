// Lighthouse on one page, in the same headless Chromium the tests use: its three category scores
// and the Core Web Vitals it measures. Lighthouse drives Chromium over the DevTools protocol, so
// the browser is started here with a debugging port (Playwright's own launch only has a pipe).
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import lighthouse from 'lighthouse'
import { CHROMIUM_ARGS, chromiumPath } from '../providers/chromium.js'

const CATEGORIES = ['performance', 'accessibility', 'best-practices']

/**
 * Starts Chromium with `--remote-debugging-port=0` and resolves with its port, read from the
 * "DevTools listening on ws://…" line it prints.
 * @param {string} userDataDir
 */
async function startChromium(userDataDir) {
  const executable = process.env.CHROME_PATH ?? chromiumPath()
  if (executable === undefined) throw new Error('Lighthouse needs Chromium: set CHROMIUM_PATH')
  const child = spawn(
    executable,
    [
      ...CHROMIUM_ARGS,
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${userDataDir}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const port = await new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${output}`)), 20_000)
    child.stderr.on('data', (chunk) => {
      output += String(chunk)
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Chromium exited (${String(code)}): ${output}`))
    })
  })
  return { port, child }
}

/**
 * Runs Lighthouse's navigation audit on `url` (mobile form factor and simulated throttling, its
 * defaults) and returns the category scores (0-100) and LCP (ms), TBT (ms) and CLS.
 * @param {string} url
 */
export async function lighthouseScores(url) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'bench-lighthouse-'))
  const chromium = await startChromium(userDataDir)
  try {
    const result = await lighthouse(url, {
      port: chromium.port,
      logLevel: 'error',
      output: 'json',
      onlyCategories: CATEGORIES,
    })
    if (result === undefined) throw new Error('Lighthouse returned no result')
    const { categories, audits, runtimeError } = result.lhr
    if (runtimeError) throw new Error(`Lighthouse: ${runtimeError.code} ${runtimeError.message}`)
    const score = (id) => Math.round((categories[id]?.score ?? 0) * 100)
    const value = (id) => audits[id]?.numericValue ?? NaN
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      lcp: value('largest-contentful-paint'),
      tbt: value('total-blocking-time'),
      cls: value('cumulative-layout-shift'),
      failed: Object.values(audits)
        .filter(
          (audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary',
        )
        .map((audit) => audit.id),
    }
  } finally {
    if (chromium.child.exitCode === null) {
      await new Promise((done) => {
        chromium.child.once('exit', done)
        chromium.child.kill()
      })
    }
    await rm(userDataDir, { recursive: true, force: true })
  }
}
