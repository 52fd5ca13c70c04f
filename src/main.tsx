import { render } from 'solid-js/web'
import { takeCallbackFromAddressBar } from './session/address-bar'
import { createSession } from './session/session'
import { openStore } from './storage/kv'
import { App } from './ui/App'
import './ui/styles.css'

// First, before any await or render: the callback's code and state leave the address bar.
const { url, callback } = takeCallbackFromAddressBar()
void openStore().then(({ store, problem }) => {
  const session = createSession({
    url,
    callback,
    navigate: (target) => window.location.assign(target),
    transientStorage: window.sessionStorage,
    store,
    ...(problem !== undefined ? { storageProblem: problem } : {}),
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
  })
  const root = document.getElementById('root')
  if (root) render(() => <App session={session} />, root)
  void session.start()
})
