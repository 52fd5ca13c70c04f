import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { createSession } from '../../src/console/session'
import { App } from '../../src/ui/App'
import { json } from './fake-fetch'
import { consolePage } from './console-page'

const manual = {
  id: 'manual',
  name: 'Manual IdP',
  client_id: 'app',
  authorization_endpoint: 'https://id.manual.test/authorize',
  token_endpoint: 'https://id.manual.test/token',
}

/** The app signed out, listing one profile without discovery, JWKS or userinfo: no request but providers.json. */
async function renderApp() {
  const requests: string[] = []
  const session = createSession(
    consolePage({
      fetch: (input) => {
        const url = input instanceof Request ? input.url : String(input)
        requests.push(url)
        return Promise.resolve(
          url.endsWith('/providers.json') ? json({ profiles: [manual] }) : json({}, 404),
        )
      },
    }),
  )
  render(() => <App session={session} />)
  await session.start()
  return { session, requests }
}

afterEach(cleanup)

describe('the Provider audit panel', () => {
  it('audits signed out: every finding begins with Pass, Warning or Fail and cites its section', async () => {
    const { requests } = await renderApp()
    const region = await screen.findByRole('region', { name: 'Provider audit' })
    const copy = within(region).getByRole('button', { name: 'Copy audit as Markdown' })
    expect((copy as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(within(region).getByRole('button', { name: 'Audit provider' }))
    const list = await within(region).findByRole('list', { name: 'Audit findings' })
    const items = within(list).getAllByRole('listitem')
    expect(items.length).toBeGreaterThan(3)
    for (const item of items) {
      expect(item.textContent).toMatch(/^(Pass|Warning|Fail): /)
      expect(item.textContent).toMatch(/\((RFC|OpenID) [^)]*\)$/)
    }
    expect(items[0]?.textContent).toContain('Discovery is off')
    expect((copy as HTMLButtonElement).disabled).toBe(false)
    expect(requests).toEqual(['https://app.test/console/providers.json'])
  })

  it('copies the audit as Markdown with the Clipboard API', async () => {
    await renderApp()
    const region = await screen.findByRole('region', { name: 'Provider audit' })
    fireEvent.click(within(region).getByRole('button', { name: 'Audit provider' }))
    await within(region).findByRole('list', { name: 'Audit findings' })
    fireEvent.click(within(region).getByRole('button', { name: 'Copy audit as Markdown' }))
    await within(region).findByText('Copied the audit as Markdown.')
    const copied = await navigator.clipboard.readText()
    expect(copied).toMatch(/^## Provider audit: Manual IdP\n/)
    expect(copied).toContain('- **Warning**: Metadata: Discovery is off')
    expect(within(region).queryByRole('textbox', { name: 'Audit as Markdown' })).toBeNull()
  })
})
