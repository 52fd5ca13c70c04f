/** The part of `navigator.serviceWorker` registration needs. */
export interface WorkerContainer {
  register(url: string, options: { scope: string }): Promise<unknown>
}

/**
 * Registers the service worker that lets the app start offline. Both URLs are relative, so a copy
 * of the app at any path registers its own worker for its own directory and nothing above it.
 * Never throws: without a worker (blocked, private mode, an old browser) the app works online as
 * before, and the console says only that offline start is unavailable, and why in one word.
 */
export async function registerServiceWorker(
  container: WorkerContainer | undefined,
  warn: (message: string) => void = console.warn,
): Promise<boolean> {
  if (container === undefined) return false
  try {
    await container.register('./sw.js', { scope: './' })
    return true
  } catch (error) {
    warn(
      `PKCE Console: offline start is unavailable (${error instanceof Error ? error.name : 'error'}).`,
    )
    return false
  }
}
