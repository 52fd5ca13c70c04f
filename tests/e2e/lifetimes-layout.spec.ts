import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { expect, logIn, signInAtProvider, test, type Servers } from './fixtures'

/** Presses Refresh now and waits until the chart's table has one more access token. */
async function refreshNow(page: Page, servers: Servers, accessRows: number) {
  const before = servers.provider.counters.refreshRequests
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect.poll(() => servers.provider.counters.refreshRequests).toBe(before + 1)
  await expect(accessTokenRows(page)).toHaveCount(accessRows)
}

function lifetimes(page: Page): Locator {
  return page.getByRole('figure', { name: 'Token lifetimes' })
}

function accessTokenRows(page: Page): Locator {
  return lifetimes(page)
    .getByRole('table', { name: 'Token lifetimes data' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: /^Access token/ }) })
}

/** Signed in, refreshed twice, one API call answered: every panel has its content. */
async function fullSession(page: Page, servers: Servers) {
  await logIn(page, servers)
  await expect(accessTokenRows(page)).toHaveCount(1)
  await refreshNow(page, servers, 2)
  await refreshNow(page, servers, 3)
  const api = page.getByRole('region', { name: 'API' })
  await api.getByRole('button', { name: 'Send' }).click()
  await expect(api.getByLabel('Response status')).toHaveText('200 OK')
}

test('the lifetime chart follows the session: login and two refreshes are three access tokens', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  await expect(accessTokenRows(page)).toHaveCount(1)
  await refreshNow(page, servers, 2)
  await refreshNow(page, servers, 3)

  const picture = lifetimes(page).getByRole('img')
  await expect(picture).toHaveAccessibleName(
    /^3 access tokens, .* in this tab's session; 2 refreshes;/,
  )
  await expect(picture).toHaveAccessibleName(/the current access token expires in 4 min/)
  const table = lifetimes(page).getByRole('table', { name: 'Token lifetimes data' })
  await expect(table.getByRole('columnheader')).toHaveText(['Token', 'Issued at', 'Expires at'])
  // oidc-provider rotates the refresh token on every refresh. (Its ID token from a refresh is
  // the same string when nothing changed within the second: the same token, no new row.)
  await expect(table.getByRole('rowheader', { name: /^Refresh token/ })).toHaveCount(3)
  // The ID token's own exp is known (decoded, not trusted for anything else).
  const firstId = table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: /^ID token\s1\b/ }) })
  await expect(firstId).toHaveCount(1)
  await expect(firstId.getByRole('cell').nth(1)).toHaveText(/\d:\d\d/)
  // It never says when a refresh token expires: the table says so instead of guessing.
  await expect(
    table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Refresh token/ }) }),
  ).toHaveText(Array(3).fill(/unknown$/))
  const third = accessTokenRows(page).nth(2)
  await expect(third.getByRole('rowheader')).toHaveText(/^Access token\s3\s*refresh$/)
  // 300 s tokens: the third one's expiry is its issue plus five minutes.
  const [issued, expires] = await third
    .getByRole('cell')
    .evaluateAll((cells) => cells.map((cell) => cell.querySelector('time')?.dateTime ?? ''))
  expect(Date.parse(expires ?? '') - Date.parse(issued ?? '')).toBe(300_000)
})

test('the picture says how long the current access token has, as the clock moves', async ({
  page,
  servers,
}) => {
  await page.clock.install()
  await logIn(page, servers)
  const picture = lifetimes(page).getByRole('img')
  await expect(picture).toHaveAccessibleName(/the current access token expires in 4 min/)
  await page.clock.runFor(125_000)
  await expect(picture).toHaveAccessibleName(/the current access token expires in 2 min/)
  // Logging out is drawn too; the tokens issued in this tab stay in the table.
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(picture).toHaveAccessibleName(/signed out less than a minute ago/)
  await expect(accessTokenRows(page)).toHaveCount(1)
})

test('the chart is its own chunk, loaded with the first token, not on a signed-out visit', async ({
  page,
  servers,
}) => {
  const chunks: string[] = []
  page.on('request', (request) => {
    if (request.resourceType() === 'script') chunks.push(new URL(request.url()).pathname)
  })
  const chartChunks = () => chunks.filter((path) => /\/TokenLifetimes-[^/]*\.js$/.test(path))
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(lifetimes(page)).toHaveCount(0)
  expect(chartChunks()).toEqual([])
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(lifetimes(page).getByRole('img')).toBeVisible()
  expect(chartChunks()).toHaveLength(1)
})

for (const width of [320, 390]) {
  test(`no horizontal scroll at ${width} px, with every panel filled`, async ({
    page,
    servers,
  }) => {
    await page.setViewportSize({ width, height: 800 })
    await fullSession(page, servers)
    await page.getByRole('region', { name: 'Timeline' }).getByText('Request').first().click()
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(scrollWidth).toBeLessThanOrEqual(width)
    // One column: the API console is below the tokens, not beside them.
    const access = await page.getByRole('region', { name: 'Access token' }).boundingBox()
    const api = await page.getByRole('region', { name: 'API' }).boundingBox()
    expect(api!.y).toBeGreaterThan(access!.y + access!.height)
  })
}

for (const width of [1280, 1920]) {
  test(`at ${width} px the session, the tokens and the API console are side by side`, async ({
    page,
    servers,
  }) => {
    await page.setViewportSize({ width, height: 1000 })
    await fullSession(page, servers)
    const session = (await page.getByRole('region', { name: 'Session' }).boundingBox())!
    const access = (await page.getByRole('region', { name: 'Access token' }).boundingBox())!
    const api = (await page.getByRole('region', { name: 'API' }).boundingBox())!
    // A shared vertical band, left to right: session, access token, API.
    for (const [left, right] of [
      [session, access],
      [access, api],
    ] as const) {
      expect(left.y).toBeLessThan(right.y + right.height)
      expect(right.y).toBeLessThan(left.y + left.height)
      expect(right.x).toBeGreaterThanOrEqual(left.x + left.width)
    }
    // The API's answer starts on the first screen, next to the token it was sent with.
    const body = (await page.getByRole('region', { name: 'Response body' }).boundingBox())!
    expect(body.y).toBeLessThan(1000)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width)
  })
}

test('Tab visits the panels in the order they are seen, left to right and top to bottom', async ({
  page,
  servers,
}) => {
  await page.setViewportSize({ width: 1280, height: 1000 })
  await fullSession(page, servers)
  await page.getByRole('combobox', { name: 'Provider' }).focus()
  const visits: { region: string; x: number; y: number; right: number; bottom: number }[] = []
  for (let i = 0; i < 120; i++) {
    const focused = await page.evaluate(() => {
      const element = document.activeElement
      const region = element?.closest('section[aria-labelledby], figure')
      const id = region?.getAttribute('aria-labelledby')
      const name = id
        ? document.getElementById(id)?.textContent
        : region?.querySelector('h2')?.textContent
      // Page coordinates: focus scrolls the page.
      const box = region?.getBoundingClientRect()
      return {
        region: name ?? '',
        x: (box?.x ?? 0) + window.scrollX,
        y: (box?.y ?? 0) + window.scrollY,
        right: (box?.right ?? 0) + window.scrollX,
        bottom: (box?.bottom ?? 0) + window.scrollY,
      }
    })
    if (visits.at(-1)?.region !== focused.region) visits.push(focused)
    if (focused.region === 'Decoder') break
    await page.keyboard.press('Tab')
  }
  // The lifetimes table is a focus stop only when it has to scroll in a narrow column.
  const regions = visits.map((visit) => visit.region).filter((name) => name !== 'Token lifetimes')
  expect(regions).toEqual([
    'Session',
    'Profiles',
    'Provider audit',
    'Access token',
    'ID token',
    'Refresh token',
    'API',
    'Timeline',
    'Decoder',
  ])
  // Each panel is below the one before, or in a column to its right: never back and up.
  for (let i = 1; i < visits.length; i++) {
    const [before, after] = [visits[i - 1]!, visits[i]!]
    expect(
      after.y >= before.bottom - 1 || after.x >= before.right - 1,
      `${before.region} → ${after.region}`,
    ).toBe(true)
  }
})

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no violation, ${colorScheme}, at 390, 1280 and 1920 px`, async ({
    page,
    servers,
  }, testInfo) => {
    test.slow() // three full-page axe runs
    await page.emulateMedia({ colorScheme })
    await fullSession(page, servers)
    for (const width of [390, 1280, 1920]) {
      await page.setViewportSize({ width, height: 1000 })
      await expect(lifetimes(page).getByRole('img')).toBeVisible()
      const { violations, passes } = await new AxeBuilder({ page }).analyze()
      expect(passes.length, 'axe ran its rules').toBeGreaterThan(10)
      expect(
        violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([])
      // For a person to look at (not compared to anything): test-results/…/layout-*.png
      await page.screenshot({
        path: testInfo.outputPath(`layout-${width}-${colorScheme}.png`),
        fullPage: true,
      })
    }
  })
}
