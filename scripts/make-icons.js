// Draws the app's PNG icons (public/icons/) from the padlock of public/favicon.svg in Chromium:
// `node scripts/make-icons.js`. The PNGs are committed; run this only when the design changes.
import { writeFile } from 'node:fs/promises'
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../tests/providers/chromium.js'

const ACCENT = '#0b5cad'
const LOCK =
  '<path d="M11 14v-3a5 5 0 0 1 10 0v3" fill="none" stroke="#fff" stroke-width="2.5"/>' +
  '<rect x="8" y="14" width="16" height="12" rx="2" fill="#fff"/>'

/** The favicon's design: a rounded square, transparent corners. */
const ANY = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="${ACCENT}"/>${LOCK}</svg>`

/**
 * Maskable: the background fills the square (the platform cuts its own shape) and the padlock sits
 * inside the central circle of 80 % that every mask keeps (https://w3c.github.io/manifest/#icon-masks).
 */
const MASKABLE = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="${ACCENT}"/><g transform="translate(16 16) scale(0.75) translate(-16 -16)">${LOCK}</g></svg>`

const ICONS = [
  { file: 'icon-192.png', size: 192, svg: ANY },
  { file: 'icon-512.png', size: 512, svg: ANY },
  { file: 'icon-maskable-512.png', size: 512, svg: MASKABLE },
]

const browser = await chromium.launch(chromiumLaunchOptions())
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } })
    const src = `data:image/svg+xml,${encodeURIComponent(icon.svg)}`
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}img{display:block}</style><img src="${src}" width="${String(icon.size)}" height="${String(icon.size)}">`,
    )
    await page.locator('img').evaluate((img) => /** @type {HTMLImageElement} */ (img).decode())
    await writeFile(`public/icons/${icon.file}`, await page.screenshot({ omitBackground: true }))
    await page.close()
  }
} finally {
  await browser.close()
}
