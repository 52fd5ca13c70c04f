import { AppError, type TransientStorage } from '../core/tools'

/** A Storage kept in memory: it lets the page run, but does not survive a redirect. */
function memoryTransientStorage(): TransientStorage {
  const map = new Map<string, string>()
  return {
    get length() {
      return map.size
    },
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  }
}

/**
 * Opens the storage the login record waits in across the redirect (sessionStorage). A browser
 * that blocks site data throws a SecurityError on access; then the page still runs on a memory
 * store (the Decoder needs none) and `problem` says why a login cannot work.
 */
export function openTransientStorage(open: () => TransientStorage): {
  storage: TransientStorage
  problem?: string
} {
  try {
    const storage = open()
    storage.setItem('pkce-console:probe', '1')
    storage.removeItem('pkce-console:probe')
    return { storage }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return { storage: memoryTransientStorage(), problem: reason }
  }
}

/** The error shown when site data is blocked: at start-up, and on every Log in. */
export function siteDataBlocked(problem: string): AppError {
  return new AppError(
    'site_data_blocked',
    `This browser blocks site data for this page (${problem}), so a login cannot survive the redirect to the provider and back.`,
  )
}
