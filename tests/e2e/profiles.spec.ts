import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { demoProfile } from '../providers/oidc.js'
import { APP_NAMESPACE, expect, idbTokens, signInAtProvider, test } from './fixtures'

/** Pastes a profiles document into the import dialog and imports it. */
async function importProfiles(page: Page, document: unknown): Promise<void> {
  await page.getByRole('button', { name: 'Import profiles' }).click()
  await page.getByRole('textbox', { name: 'Profiles JSON' }).fill(JSON.stringify(document))
  await page.getByRole('button', { name: 'Import', exact: true }).click()
}

/** The user's saved profiles as IndexedDB holds them. */
async function savedProfiles(page: Page): Promise<unknown> {
  return page.evaluate(
    (database) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(database)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get('profiles')
          get.onsuccess = () => resolve(get.result)
          get.onerror = () => reject(get.error)
        }
      }),
    APP_NAMESPACE,
  )
}

const picker = (page: Page) => page.getByRole('combobox', { name: 'Provider' })
const option = (page: Page, name: string) => picker(page).getByRole('option', { name, exact: true })

test('an imported profile can log in and survives a reload', async ({ page, servers }) => {
  await page.goto(servers.appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await importProfiles(page, {
    profiles: [{ ...demoProfile(servers.provider.issuer, 'imported'), name: 'Imported demo' }],
  })
  await expect(option(page, 'Imported demo')).toHaveCount(1)

  await picker(page).selectOption({ label: 'Imported demo' })
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  expect(await idbTokens(page, 'imported')).toBeDefined()
  expect(await idbTokens(page, 'demo')).toBeUndefined()

  await page.reload()
  await expect(option(page, 'Imported demo')).toHaveCount(1)
  await expect(picker(page)).toHaveValue('imported')
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

test('an import refuses a javascript: endpoint and keeps the good profile', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await importProfiles(page, [
    { ...demoProfile(servers.provider.issuer, 'good'), name: 'Good one' },
    {
      id: 'evil',
      name: 'Evil',
      client_id: 'x',
      authorization_endpoint: 'https://id.example.test/authorize',
      token_endpoint: 'javascript:alert(document.domain)',
    },
  ])
  const alert = page.getByRole('alert')
  await expect(alert).toHaveCount(1)
  await expect(alert).toContainText('evil')
  await expect(alert).toContainText('Token endpoint')
  await expect(alert).toContainText('javascript:')
  await expect(option(page, 'Good one')).toHaveCount(1)
  await expect(option(page, 'Evil')).toHaveCount(0)
})

test('a new profile filled by Discover logs in', async ({ page, servers }) => {
  const issuer = servers.provider.issuer
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'New profile' }).click()
  const form = page.getByRole('form', { name: 'Profile' })
  await form.getByRole('textbox', { name: 'Issuer' }).fill(issuer)
  await form.getByRole('button', { name: 'Discover' }).click()
  await expect(form.getByRole('textbox', { name: 'Token endpoint' })).toHaveValue(`${issuer}/token`)
  await expect(form.getByRole('textbox', { name: 'Authorization endpoint' })).toHaveValue(
    new RegExp(`^${issuer}/`),
  )

  await form.getByRole('textbox', { name: 'ID', exact: true }).fill('hand-made')
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Hand made')
  await form.getByRole('textbox', { name: 'Client ID' }).fill('pkce-console')
  await form.getByRole('textbox', { name: 'Scope' }).fill('openid profile')
  await form.getByRole('button', { name: 'Save' }).click()

  await expect(form).toHaveCount(0)
  await expect(option(page, 'Hand made')).toHaveCount(1)
  await expect(picker(page)).toHaveValue('hand-made')
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  expect(await idbTokens(page, 'hand-made')).toBeDefined()
})

test('Discover refuses metadata naming another issuer', async ({ page, servers }) => {
  // The provider answers on 127.0.0.1 too, but its metadata names http://localhost:<port>.
  const elsewhere = servers.provider.issuer.replace('localhost', '127.0.0.1')
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'New profile' }).click()
  const form = page.getByRole('form', { name: 'Profile' })
  await form.getByRole('textbox', { name: 'Issuer' }).fill(elsewhere)
  await form.getByRole('button', { name: 'Discover' }).click()
  await expect(page.getByRole('alert')).toContainText('issuer_mismatch')
  await expect(form.getByRole('textbox', { name: 'Token endpoint' })).toHaveValue('')
})

test('saving an invalid endpoint is refused and saves nothing', async ({ page, servers }) => {
  await page.goto(servers.appUrl)
  await page.getByRole('button', { name: 'New profile' }).click()
  const form = page.getByRole('form', { name: 'Profile' })
  await form.getByRole('textbox', { name: 'ID', exact: true }).fill('broken')
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Broken')
  await form.getByRole('textbox', { name: 'Client ID' }).fill('pkce-console')
  await form
    .getByRole('textbox', { name: 'Authorization endpoint' })
    .fill('https://id.example.test/authorize')
  await form.getByRole('textbox', { name: 'Token endpoint' }).fill('javascript:alert(1)')
  await form.getByRole('button', { name: 'Save' }).click()

  const alert = page.getByRole('alert')
  await expect(alert).toHaveCount(1)
  await expect(alert).toContainText('Token endpoint')
  await expect(alert).toContainText('javascript:')
  await expect(form).toBeVisible()
  await form.getByRole('button', { name: 'Cancel' }).click()
  await expect(option(page, 'Broken')).toHaveCount(0)
  expect(await savedProfiles(page)).toBeUndefined()
  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await expect(option(page, 'Broken')).toHaveCount(0)
})

test('an export lists the profiles and leaves secrets out unless asked', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await importProfiles(page, {
    profiles: [
      {
        ...demoProfile(servers.provider.issuer, 'secretive'),
        name: 'Secretive',
        client_secret: 's3cr3t-value',
      },
    ],
  })
  await expect(option(page, 'Secretive')).toHaveCount(1)

  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export profiles' }).click()
  const exported = page.getByRole('textbox', { name: 'Exported profiles JSON' })
  await expect(exported).toHaveValue(/"secretive"/)
  const document = JSON.parse(await exported.inputValue()) as { profiles: { id: string }[] }
  expect(document.profiles.map((profile) => profile.id)).toEqual(['demo', 'secretive'])
  expect(await exported.inputValue()).not.toContain('client_secret')

  const file = await download
  expect(file.suggestedFilename()).toBe('pkce-console-profiles.json')
  const text = await readFile(await file.path(), 'utf8')
  expect(JSON.parse(text)).toEqual(document)

  await page.getByRole('checkbox', { name: 'Include secrets' }).check()
  await expect(exported).toHaveValue(/"client_secret": "s3cr3t-value"/)
})

test('editing a site profile keeps a user copy in its place; deleting it restores the site one', async ({
  page,
  servers,
}) => {
  await page.goto(servers.appUrl)
  await expect(picker(page)).toHaveValue('demo')
  await page.getByRole('button', { name: 'Edit profile' }).click()
  const form = page.getByRole('form', { name: 'Profile' })
  await expect(form.getByRole('textbox', { name: 'Client ID' })).toHaveValue('pkce-console')
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('My demo')
  await form.getByRole('button', { name: 'Save' }).click()

  await expect(option(page, 'My demo')).toHaveCount(1)
  await expect(option(page, 'Demo provider (oidc-provider)')).toHaveCount(0)
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page)
  await expect(page.getByRole('status')).toHaveText('Signed in')
  await expect(option(page, 'My demo')).toHaveCount(1)

  await page.getByRole('button', { name: 'Delete profile' }).click()
  await page.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(option(page, 'Demo provider (oidc-provider)')).toHaveCount(1)
  await expect(option(page, 'My demo')).toHaveCount(0)
  // Same server as the copy: the tokens stay.
  await expect(page.getByRole('status')).toHaveText('Signed in')
})

test('profile names render as text, never as markup', async ({ page, servers }) => {
  const name = '<img src=x onerror="window.__pwned = 1">'
  await page.goto(servers.appUrl)
  await importProfiles(page, {
    profiles: [{ ...demoProfile(servers.provider.issuer, 'markup'), name }],
  })
  await expect(option(page, name)).toHaveCount(1)
  await expect(page.getByRole('note')).toContainText(name)
  await picker(page).selectOption({ label: name })
  await page.getByRole('button', { name: 'Edit profile' }).click()
  await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(name)
  expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0)
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
})
