import { expect, signInAtProvider, test } from './fixtures'

// A page whose code could not be fetched any more (a deploy replaced it, the network dropped)
// still works: the start page loads the rest once it has painted, not on the first press. The
// service worker is kept out, so nothing but that prefetch can serve the code.
test.use({ serviceWorkers: 'block' })

test('once the page has loaded, the Decoder, the profile form and Log in work without fetching more code', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  // The prefetch runs when the browser is idle after start-up: wait until its last chunks (the
  // profile tools and Log in's code) are in, then for the network to settle.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          performance
            .getEntriesByType('resource')
            .filter((entry) => /\/(ProfileDelete|login)-[^/]*\.js$/.test(entry.name)).length,
      ),
    )
    .toBe(2)
  await page.waitForLoadState('networkidle')
  const fetched: string[] = []
  await page.route('**/assets/**', async (route) => {
    fetched.push(route.request().url())
    await route.abort()
  })

  const payload = Buffer.from(JSON.stringify({ sub: 'carol', iat: 1_700_000_000 })).toString(
    'base64url',
  )
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
  const decoder = page.getByRole('region', { name: 'Decoder' })
  await decoder.getByRole('textbox', { name: 'Token' }).fill(`${header}.${payload}.c2ln`)
  await decoder.getByRole('button', { name: 'Decode' }).click()
  const claims = decoder.getByRole('table', { name: 'Decoded token claims' })
  await expect(claims.getByRole('row', { name: /^sub/ })).toContainText('carol')
  await expect(decoder.getByText(/^Signature not checked/)).toBeVisible()

  await page.getByRole('button', { name: 'New profile' }).click()
  await expect(page.getByRole('form', { name: 'Profile' })).toBeVisible()
  await page.getByRole('button', { name: 'Cancel' }).click()

  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL((url) => url.href.startsWith(servers.provider.issuer))
  expect(fetched).toEqual([])
})

test("a callback page asks for jose before the code exchange, and the API console's code after the claims", async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  // From the provider's redirect back on: what the callback page asks for, in order.
  const asked: string[] = []
  page.on('request', (request) => {
    const { origin, pathname } = new URL(request.url())
    if (origin === new URL(servers.appUrl).origin || request.method() === 'POST')
      asked.push(pathname)
  })
  await signInAtProvider(page)
  await expect(page.getByRole('table', { name: 'Access token claims' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
  const first = (pattern: RegExp) => asked.findIndex((path) => pattern.test(path))
  const exchange = first(/\/token$/)
  expect(exchange).toBeGreaterThan(-1)
  expect(first(/\/assets\/verify-[^/]*\.js$/)).toBeGreaterThan(-1)
  expect(first(/\/assets\/verify-[^/]*\.js$/)).toBeLessThan(exchange)
  expect(first(/\/assets\/ApiConsole-[^/]*\.js$/)).toBeGreaterThan(exchange)
})
