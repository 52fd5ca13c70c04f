/** A small typed event emitter: `on` returns the unsubscribe function. */
export interface Emitter<Events extends Record<string, unknown>> {
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): () => void
  emit<K extends keyof Events>(name: K, payload: Events[K]): void
  clear(): void
}

/**
 * Creates an emitter. A listener that throws never stops the others, nor the library's own work:
 * the exception is reported asynchronously (`queueMicrotask`), where the page's error handler sees it.
 */
export function createEmitter<Events extends Record<string, unknown>>(): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>()
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set()
      set.add(listener)
      listeners.set(name, set)
      return () => {
        set.delete(listener)
      }
    },
    emit(name, payload) {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          ;(listener as (payload: Events[typeof name]) => void)(payload)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    clear() {
      listeners.clear()
    },
  }
}
