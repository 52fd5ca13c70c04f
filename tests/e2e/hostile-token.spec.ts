import type { Page } from '@playwright/test'
import { APP_NAMESPACE, expect, idbTokens, logIn, signInAtProvider, test } from './fixtures'

/** Claim names `Object.prototype` also has: a plain-object lookup would find its members. */
const HOSTILE_NAMES = ['valueOf', 'hasOwnProperty', 'toString', '__proto__', 'constructor']

/** Adds every hostile claim as an own property (assigning `__proto__` would set the prototype). */
function addHostileClaims(claims: Record<string, unknown>) {
  for (const name of HOSTILE_NAMES)
    Object.defineProperty(claims, name, { value: `${name}-value`, enumerable: true })
}

/** After a reload the page settles on a status, and Log out signs out. */
async function reloadThenLogOut(page: Page) {
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed in')
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page)).toBeUndefined()
}

test('item 3: an ID token with claims named valueOf, __proto__… renders, survives a reload, and Log out works', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = servers.provider.tamperIdToken((claims) => {
    addHostileClaims(claims)
  })
  await logIn(page, servers)
  const table = page
    .getByRole('region', { name: 'ID token' })
    .getByRole('table', { name: 'ID token claims' })
  for (const name of HOSTILE_NAMES) {
    await expect(table.getByRole('row', { name: new RegExp(`^${name} `) })).toContainText(
      `${name}-value`,
    )
  }
  await expect(table).not.toContainText('[object')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await reloadThenLogOut(page)
})

test('item 3: a JWT access token with exp 1e13 and no expires_in is capped to a year, and Log out works', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = async (ctx, next) => {
    await next()
    const body = ctx.body as Record<string, unknown>
    const claims: Record<string, unknown> = {
      sub: 'alice',
      iss: servers.provider.issuer,
      exp: 1e13,
    }
    addHostileClaims(claims)
    // No expires_in: the app falls back to the JWT's own exp.
    ctx.body = {
      ...body,
      expires_in: undefined,
      access_token: await servers.provider.signJwt({}, claims),
    }
  }
  await logIn(page, servers)
  await expect(page.getByText('a lifetime of more than a year')).toBeVisible()
  await expect(
    page.getByRole('table', { name: 'Access token claims' }).getByRole('rowheader', {
      name: 'valueOf',
    }),
  ).toBeVisible()
  await reloadThenLogOut(page)
})

test('item 3: an expires_in of 1e13 is refused at receipt with an alert; the page stays usable', async ({
  page,
  servers,
}) => {
  servers.provider.faults.token = async (ctx, next) => {
    await next()
    ctx.body = { ...(ctx.body as Record<string, unknown>), expires_in: 1e13 }
  }
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('invalid_token_response')
  await expect(alert).toContainText('press Log in to try again')
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page)).toBeUndefined()
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(page.getByRole('button', { name: 'Log in' })).toBeEnabled()
})

test('item 3: tokens stored by an older version with an expires_at no Date holds still start, and Log out works', async ({
  page,
  servers,
}) => {
  await logIn(page, servers)
  await page.evaluate(
    (database) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(database)
        open.onsuccess = () => {
          const store = open.result.transaction('kv', 'readwrite').objectStore('kv')
          const get = store.get('tokens:demo')
          get.onsuccess = () => {
            const put = store.put({ ...get.result, expires_at: 1e16 }, 'tokens:demo')
            put.onsuccess = () => resolve()
            put.onerror = () => reject(put.error)
          }
        }
        open.onerror = () => reject(open.error)
      }),
    APP_NAMESPACE,
  )
  expect((await idbTokens(page))?.expires_at).toBe(1e16)
  await reloadThenLogOut(page)
})

test('item 3: the Decoder shows a pasted token with hostile claim names', async ({
  page,
  servers,
}) => {
  const claims: Record<string, unknown> = { sub: 'alice', exp: 1e13 }
  addHostileClaims(claims)
  const token = await servers.provider.signJwt({}, claims)
  await page.goto(servers.appUrl)
  const decoder = page.getByRole('region', { name: 'Decoder' })
  await decoder.getByRole('textbox', { name: 'Token' }).fill(token)
  await decoder.getByRole('button', { name: 'Decode' }).click()
  const table = decoder.getByRole('table', { name: 'Decoded token claims' })
  for (const name of HOSTILE_NAMES)
    await expect(table.getByRole('rowheader', { name, exact: true })).toBeVisible()
  await expect(decoder).toContainText('Signature not checked')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await expect(page.getByRole('status')).toHaveText('Signed out')
})
