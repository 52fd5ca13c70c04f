// The build's own files the service worker stores at install, named from the build output.

/** What the build injects into the worker. */
export interface PrecacheManifest {
  /** A hash of every precached file's content: a new deployment is a new version. */
  version: string
  /** URLs relative to the worker's scope; `./` is the app page. */
  urls: string[]
}

/**
 * The URLs to precache for a build's output files (paths relative to the output directory):
 * everything but the worker itself, source maps and the deployment's own `providers.json`
 * (which is not part of a build). `index.html` is stored as `./`, the URL users open and
 * providers redirect to.
 */
export function precacheUrls(fileNames: readonly string[]): string[] {
  return fileNames
    .filter((name) => name !== 'sw.js' && name !== 'providers.json' && !name.endsWith('.map'))
    .map((name) => (name === 'index.html' ? './' : name.replace(/^\.?\//, '')))
    .sort()
}
