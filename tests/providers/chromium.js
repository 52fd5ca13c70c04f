// How the tests and the bench start Chromium: Debian's by default (browser downloads do not work
// on CI here), CHROMIUM_PATH to use another; without either, Playwright's own browser.
import { existsSync } from 'node:fs'

/** The Chromium binary to launch, or undefined for Playwright's own. */
export function chromiumPath() {
  return (
    process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
  )
}

/**
 * Flags for running as root on a closed network: no sandbox, and none of Chromium's own
 * background traffic (which this machine's network refuses, many connections at a time).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

/** Launch options for Playwright's `chromium.launch()` / `use.launchOptions`. */
export function chromiumLaunchOptions() {
  const executablePath = chromiumPath()
  return { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS }
}
