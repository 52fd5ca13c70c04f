import { render } from 'solid-js/web'
import { takeCallbackFromAddressBar } from './console/address-bar'
import { beginStartUp, createSession } from './console/session'
import { openTransientStorage } from './console/site-data'
import { type TabMessage, openStore, deploymentNamespace, namespacedStorage } from './core/tools'
import { App } from './ui/App'
import { prefetchPanels, preloadTokenViews } from './ui/lazy-panels'
import './ui/styles.css'

// First, before any await or render: the callback's code and state leave the address bar.
const { url, callback, fragment } = takeCallbackFromAddressBar()
// Two copies of the app on one origin share nothing: every name comes from the deployment path.
const namespace = deploymentNamespace(url)
// Site data may be blocked (sessionStorage throws): the page still renders and says so.
const transient = openTransientStorage(() => namespacedStorage(window.sessionStorage, namespace))
// Before IndexedDB opens: providers.json, and on a callback page the code that completes it.
const siteProfiles = beginStartUp(url, callback, (...args) => fetch(...args), transient.storage)
if (callback !== undefined) preloadTokenViews()
// No top-level await: it stops the bundler from merging shared chunks into the entry.
void openStore(namespace).then(({ store, problem }) => {
  const channel = 'BroadcastChannel' in window ? new BroadcastChannel(namespace) : undefined
  const session = createSession({
    url,
    callback,
    namespace,
    ...(fragment !== undefined ? { fragmentCallback: fragment } : {}),
    navigate: (target) => window.location.assign(target),
    onSessionExpected: preloadTokenViews,
    siteProfiles,
    transientStorage: transient.storage,
    ...(transient.problem !== undefined ? { siteDataProblem: transient.problem } : {}),
    store,
    ...(problem !== undefined ? { storageProblem: problem } : {}),
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
    online: () => navigator.onLine,
    ...('locks' in navigator
      ? { locks: { request: (name, cb) => navigator.locks.request(name, cb) as Promise<never> } }
      : {}),
    ...(channel
      ? {
          channel: {
            postMessage: (message: unknown) => channel.postMessage(message),
            subscribe: (listener: (message: TabMessage) => void) => {
              channel.onmessage = (event: MessageEvent<TabMessage>) => listener(event.data)
            },
          },
        }
      : {}),
  })
  // Timers stall while a laptop sleeps: check expiry whenever the page is shown again.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') session.wake()
  })
  const root = document.getElementById('root')
  if (root) render(() => <App session={session} />, root)
  const started = session.start()
  const whenIdle = (task: () => void) => {
    if ('requestIdleCallback' in window) requestIdleCallback(task)
    else setTimeout(task, 100)
  }
  const loaded = new Promise<void>((resolve) => {
    if (document.readyState === 'complete') resolve()
    else window.addEventListener('load', () => resolve(), { once: true })
  })
  // Once the page has loaded: the token views, which a returning user's held session renders
  // next (start-up reads IndexedDB before it knows; on a callback page they load already).
  void loaded.then(() => whenIdle(preloadTokenViews))
  // Once start-up is over too (on a callback page the exchange's chunks come first; the page is
  // idle while it waits for the provider): the code a press on Log in or a panel needs next, and
  // the service worker (only in builds: the dev server has no sw.js, and unit tests never run
  // this file). start() never rejects: a failure ends in an alert.
  void Promise.all([loaded, started]).then(() =>
    whenIdle(() => {
      prefetchPanels()
      void session.prepare()
      if (import.meta.env.PROD) {
        void import('./offline/register').then(({ registerServiceWorker }) =>
          registerServiceWorker('serviceWorker' in navigator ? navigator.serviceWorker : undefined),
        )
      }
    }),
  )
})
