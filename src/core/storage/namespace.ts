import type { TransientStorage } from '../protocol/transient'

/**
 * The name of one deployment of the app: `pkce-console:` + the directory it is served from
 * (`/tools/pkce-console/`). It names the IndexedDB database, the BroadcastChannel, the Web Locks
 * and the sessionStorage keys, so two copies on one origin (`/console/` and `/staging/`) never
 * read each other's tokens, profiles or announcements. It separates copies that cooperate; it is
 * no wall against a hostile one: any page on the origin can open any database of the origin.
 */
export function deploymentNamespace(url: URL): string {
  // `/console` (a host that serves the directory without its slash) is the same copy as `/console/`.
  const last = url.pathname.split('/').at(-1) ?? ''
  const directory = last !== '' && !last.includes('.') ? `${url.pathname}/` : url.pathname
  return `pkce-console:${new URL('.', new URL(directory, url)).pathname}`
}

/**
 * `storage` seen through a key prefix: only the keys that start with `namespace|` exist, with the
 * prefix removed. The login and logout records use it, so each deployment sees its own alone.
 */
export function namespacedStorage(storage: TransientStorage, namespace: string): TransientStorage {
  const prefix = `${namespace}|`
  const keys = () => {
    const found: string[] = []
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)
      if (key?.startsWith(prefix)) found.push(key.slice(prefix.length))
    }
    return found
  }
  return {
    getItem: (key) => storage.getItem(prefix + key),
    setItem: (key, value) => {
      storage.setItem(prefix + key, value)
    },
    removeItem: (key) => {
      storage.removeItem(prefix + key)
    },
    key: (index) => keys()[index] ?? null,
    get length() {
      return keys().length
    },
  }
}
