import { openStore } from './storage/kv'
import { deploymentNamespace, namespacedStorage } from './storage/namespace'
import type { TabMessage } from './refresh/token-getter'
import type { AuthEnvironment, TabChannel } from './environment'

/**
 * The browser's environment: the one file of the library that reads `window`, `document`,
 * `location`, `navigator` and the timers. `namespace` defaults to the page's deployment path.
 * Tokens go to IndexedDB (memory where it is unavailable), login records to sessionStorage,
 * the cross-tab lock is `navigator.locks` and the channel a `BroadcastChannel`, where they exist.
 *
 * @see https://w3c.github.io/web-locks/
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 */
export function browserEnvironment(namespace?: string): AuthEnvironment {
  const name = namespace ?? deploymentNamespace(new URL(window.location.href))
  return {
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => {
        clearTimeout(handle as ReturnType<typeof setTimeout>)
      },
    },
    openStore: async () => (await openStore(name)).store,
    transientStorage: namespacedStorage(window.sessionStorage, name),
    ...('locks' in navigator
      ? {
          locks: {
            request: <T>(lock: string, callback: () => Promise<T>) =>
              navigator.locks.request(lock, callback) as Promise<T>,
          },
        }
      : {}),
    ...('BroadcastChannel' in window ? { openChannel: () => openChannel(name) } : {}),
    namespace: name,
    location: () => new URL(window.location.href),
    replaceUrl: (url) => {
      window.history.replaceState(null, '', url)
    },
    navigate: (url) => {
      window.location.assign(url)
    },
    onVisible: (listener) => {
      const handler = () => {
        if (document.visibilityState === 'visible') listener()
      }
      document.addEventListener('visibilitychange', handler)
      return () => {
        document.removeEventListener('visibilitychange', handler)
      }
    },
  }
}

function openChannel(name: string): TabChannel {
  const channel = new BroadcastChannel(name)
  return {
    postMessage: (message) => {
      channel.postMessage(message)
    },
    subscribe: (listener) => {
      channel.addEventListener('message', (event: MessageEvent<TabMessage>) => {
        listener(event.data)
      })
    },
    close: () => {
      channel.close()
    },
  }
}
