import type { Page } from '@playwright/test'
import { expect, idbTokens, signInAtProvider } from './fixtures'

/** Opens the app, presses Log in and signs in at the provider; the callback is then up to the app. */
export async function startLogin(page: Page, appUrl: string, name = 'alice'): Promise<void> {
  await page.goto(appUrl)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  await page.getByRole('button', { name: 'Log in' }).click()
  await signInAtProvider(page, name)
}

/**
 * The checklist's "refused": a role=alert naming `code`, the page signed out, no tokens in
 * IndexedDB and no transient login record left behind.
 */
export async function expectRefused(page: Page, code: string, profileId = 'demo'): Promise<void> {
  await expect(page.getByRole('alert').filter({ hasText: code })).toHaveCount(1)
  await expect(page.getByRole('status')).toHaveText('Signed out')
  expect(await idbTokens(page, profileId)).toBeUndefined()
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
}

/** A compact JWS with `alg: none`: header and claims, no signature. */
export function unsignedJwt(header: Record<string, unknown>, claims: Record<string, unknown>) {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return Promise.resolve(`${part({ ...header, alg: 'none' })}.${part(claims)}.`)
}
