import { createStore, del, get, promisifyRequest, set } from 'idb-keyval'

/** The storage interface the core depends on: a small async key-value store. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown): Promise<void>
  del(key: string): Promise<void>
  /**
   * Replaces the value of `key` by what `change` makes of it, in one transaction (no other tab's
   * write can come between its read and its write); `undefined` deletes it. Optional: a store
   * without it is updated by a read and a write.
   */
  update?(key: string, change: (value: unknown) => unknown): Promise<void>
  /** `indexeddb` when values outlive the tab, `memory` when they do not. */
  readonly kind: 'indexeddb' | 'memory'
}

/** A store that lives only as long as the page: the fallback when IndexedDB is unavailable. */
export function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>()
  return {
    kind: 'memory',
    get: (key) => Promise.resolve(structuredClone(map.get(key))),
    set: (key, value) => {
      map.set(key, structuredClone(value))
      return Promise.resolve()
    },
    del: (key) => {
      map.delete(key)
      return Promise.resolve()
    },
    update: (key, change) => {
      const next = change(structuredClone(map.get(key)))
      if (next === undefined) map.delete(key)
      else map.set(key, structuredClone(next))
      return Promise.resolve()
    },
  }
}

/**
 * The IndexedDB store (database `name`: the deployment's namespace, object store `kv`) through
 * idb-keyval.
 */
export function indexedDbStore(name: string): KeyValueStore {
  const store = createStore(name, 'kv')
  return {
    kind: 'indexeddb',
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    // Read and write in one readwrite transaction, as idb-keyval's update does, but deleting the
    // key when the change gives undefined (idb-keyval's would store undefined under it).
    update: (key, change) =>
      store(
        'readwrite',
        (objects) =>
          new Promise<void>((resolve, reject) => {
            const read = objects.get(key)
            // The write goes in the read's own callback, while the transaction is still active.
            read.onsuccess = () => {
              try {
                const next = change(read.result)
                if (next === undefined) objects.delete(key)
                else objects.put(next, key)
                resolve(promisifyRequest(objects.transaction))
              } catch (cause) {
                reject(cause instanceof Error ? cause : new Error(String(cause)))
              }
            }
            read.onerror = () => reject(read.error ?? new Error('IndexedDB read failed'))
          }),
      ),
  }
}

/**
 * Opens IndexedDB and proves it works with a write and a read; when it cannot (private mode,
 * blocked by policy, quota), returns an in-memory store and the reason, so the session still works.
 */
export async function openStore(name: string): Promise<{ store: KeyValueStore; problem?: string }> {
  try {
    const store = indexedDbStore(name)
    await store.set('probe', 1)
    return { store }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return { store: memoryStore(), problem: reason }
  }
}
