import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { FIELD_LABELS } from '../../src/core/profile/types'
import { createSession } from '../../src/console/session'
import { App } from '../../src/ui/App'
import { consolePage } from './console-page'

async function renderApp() {
  const session = createSession(consolePage())
  render(() => <App session={session} />)
  await session.start()
  return session
}

afterEach(cleanup)

describe('the profile form', () => {
  it('labels a control for every profile field, in words', async () => {
    await renderApp()
    fireEvent.click(screen.getByRole('button', { name: 'New profile' }))
    const form = await screen.findByRole('form', { name: 'Profile' })
    for (const label of Object.values(FIELD_LABELS)) {
      expect(form.querySelector(`#${screen.getByLabelText(label).id}`), label).not.toBeNull()
    }
    expect(screen.getByRole('button', { name: 'Discover' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy()
  })

  it('warns that a browser cannot keep a client secret', async () => {
    await renderApp()
    fireEvent.click(screen.getByRole('button', { name: 'New profile' }))
    expect(screen.queryByText(/cannot keep a secret/)).toBeNull()
    fireEvent.input(screen.getByLabelText('Client secret'), { target: { value: 's' } })
    expect(screen.getByText(/cannot keep a secret/)).toBeTruthy()
  })
})
