import type { ConsoleEnvironment } from '../../src/console/session'
import { memoryStore } from '../../src/core/storage/kv'
import { memoryStorage } from './fake-fetch'

/** Where the console is served in its unit tests. */
export const CONSOLE_URL = 'https://app.test/console/'

/**
 * One page load of the console, signed out, without a callback: a fresh store and
 * sessionStorage, and every request answered 404. A test overrides the fields it is about.
 */
export function consolePage(overrides: Partial<ConsoleEnvironment> = {}): ConsoleEnvironment {
  return {
    url: new URL(CONSOLE_URL),
    callback: undefined,
    navigate: () => undefined,
    transientStorage: memoryStorage(),
    store: memoryStore(),
    fetch: () => Promise.resolve(new Response('not found', { status: 404 })),
    now: () => 1_000,
    ...overrides,
  }
}
