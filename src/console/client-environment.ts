import type { AuthEnvironment } from '../core'
import type { TabMessage, Timers } from '../core/tools'
import type { SessionEnvironment } from './session-environment'

/**
 * The library's environment for the console's clients, one at a time: the session's page,
 * store and timers, and the session's one channel, whose token messages go to the current client.
 */
export interface ClientEnvironment {
  /** The environment of the next client (the one before it stops listening to the channel). */
  environment(): AuthEnvironment
  /** Shows the client this callback as the page's URL until it cleans the address bar. */
  showCallback(url: URL | undefined): void
  /** A message of another tab for the current client. */
  receive: (message: TabMessage) => void
  /** Tells the clients the page is visible again. */
  wake: () => void
}

/** Builds the clients' environment from the session's. */
export function createClientEnvironment(
  env: SessionEnvironment,
  timers: Timers,
): ClientEnvironment {
  /** The callback this page load carried, until the client it answers has read it. */
  let callbackUrl: URL | undefined
  /** The current client's end of the tabs' channel: one channel, one listener. */
  let clientListener: ((message: TabMessage) => void) | undefined
  const wakeListeners = new Set<() => void>()
  const channel = env.channel

  return {
    environment: () => ({
      fetch: env.fetch,
      now: () => env.now(),
      timers,
      openStore: () => Promise.resolve(env.store),
      transientStorage: env.transientStorage,
      ...(env.locks ? { locks: env.locks } : {}),
      ...(channel
        ? {
            openChannel: () => ({
              postMessage: (message) => {
                channel.postMessage(message)
              },
              subscribe: (listener) => {
                clientListener = listener
              },
              close: () => {
                clientListener = undefined
              },
            }),
          }
        : {}),
      namespace: env.namespace ?? 'pkce-console',
      location: () => callbackUrl ?? env.url,
      replaceUrl: () => {
        callbackUrl = undefined
      },
      navigate: (url) => {
        env.navigate(url)
      },
      onVisible: (listener) => {
        wakeListeners.add(listener)
        return () => wakeListeners.delete(listener)
      },
    }),
    showCallback(url) {
      callbackUrl = url
    },
    receive: (message) => clientListener?.(message),
    wake: () => {
      for (const listener of wakeListeners) listener()
    },
  }
}
