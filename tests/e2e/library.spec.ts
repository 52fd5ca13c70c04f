// The core as a library (shared/library.md): a plain-DOM app built on src/core/index.ts alone
// (tests/consumer), logging in to oidc-provider in Chromium.
import { test as base, expect, type Page } from '@playwright/test'
import { demoProfile, startOidcProvider } from '../providers/oidc.js'
import { startStaticServer } from '../providers/static-server.js'
import { signInAtProvider } from './fixtures'

const test = base.extend<
  object,
  { consumer: { url: string; provider: Awaited<ReturnType<typeof startOidcProvider>> } }
>({
  consumer: [
    async ({}, use) => {
      const served: { document?: unknown } = {}
      const app = await startStaticServer({
        root: 'dist-consumer',
        basePath: '/apps/consumer/',
        providers: () => served.document,
      })
      const provider = await startOidcProvider({
        redirectUris: [app.url],
        accessTokenTTL: 300,
        quiet: true,
      })
      served.document = { profiles: [demoProfile(provider.issuer)] }
      await use({ url: app.url, provider })
      await provider.close()
      await app.close()
    },
    { scope: 'worker' },
  ],
})

const status = (page: Page) => page.getByRole('status')

test.beforeEach(({ consumer }) => {
  consumer.provider.reset()
})

test('a plain-DOM app logs in, calls the API and keeps the session across a reload', async ({
  page,
  consumer,
}) => {
  await page.goto(consumer.url)
  await expect(status(page)).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(status(page)).toHaveText('Signed in')
  expect(page.url()).toBe(consumer.url)
  await page.getByRole('button', { name: 'Call API' }).click()
  await expect(page.getByText(/^200 /)).toHaveCount(1)
  await page.reload()
  await expect(status(page)).toHaveText('Signed in')
})

test('three tabs past expiry refresh once, and Log out in one tab signs out the others', async ({
  page,
  context,
  consumer,
}) => {
  const tabs = [page, await context.newPage(), await context.newPage()]
  for (const tab of tabs) await tab.clock.install()

  await page.goto(consumer.url)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(status(page)).toHaveText('Signed in')
  for (const tab of tabs.slice(1)) {
    await tab.goto(consumer.url)
    await expect(status(tab)).toHaveText('Signed in')
  }
  const before = consumer.provider.counters.refreshRequests
  // The laptop slept: every tab wakes 290 s later, inside the refresh margin of the 300 s token,
  // with its timers stalled (setSystemTime fires none), and all call at once.
  const woke = Date.now() + 290_000
  await Promise.all(tabs.map((tab) => tab.clock.setSystemTime(woke)))
  await Promise.all(tabs.map((tab) => tab.getByRole('button', { name: 'Call API' }).click()))
  for (const tab of tabs) await expect(tab.getByText(/^200 /)).toHaveCount(1)
  expect(consumer.provider.counters.refreshRequests - before).toBe(1)
  expect(consumer.provider.counters.grantsRevoked).toBe(0)

  await tabs[1]?.getByRole('button', { name: 'Log out' }).click()
  for (const tab of tabs) await expect(status(tab)).toHaveText('Signed out')
})
