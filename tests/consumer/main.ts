// A minimal app on the library alone (src/core/index.ts): no framework, no console code. The
// library e2e test (tests/e2e/library.spec.ts) drives it; `npm run bench` measures its size.
import { AuthError, createAuthClient } from '../../src/core'

const $ = (id: string) => {
  const element = document.getElementById(id)
  if (element === null) throw new Error(`#${id} is missing`)
  return element
}

function show(error: unknown) {
  const item = document.createElement('li')
  item.setAttribute('role', 'alert')
  item.textContent = error instanceof AuthError ? `${error.code}: ${error.message}` : String(error)
  $('errors').append(item)
}

const config = (await (await fetch('./providers.json')).json()) as {
  profiles: Record<string, unknown>[]
}
const client = createAuthClient(config.profiles[0])
const render = () => {
  const tokens = client.tokens()
  $('status').textContent = tokens ? 'Signed in' : 'Signed out'
}
client.on('tokens', render)
client.on('refresh-retrying', ({ error }) => show(error))
client.on('signed-out', ({ reason }) => {
  if (reason) show(reason)
  render()
})

$('login').addEventListener('click', () => void client.login().catch(show))
$('logout').addEventListener('click', () => void client.logout().then(render, show))
$('call').addEventListener('click', () => {
  const url = String((config.profiles[0]?.requests as { url: string }[] | undefined)?.[0]?.url)
  void client
    .fetch(url)
    .then(async (response) => {
      $('answer').textContent = `${String(response.status)} ${await response.text()}`
    })
    .catch(show)
})

await client.handleCallback().catch(show)
render()
