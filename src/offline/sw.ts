// The service worker (built to sw.js by build/service-worker.ts). It stores this build's own files
// so the app starts offline, and nothing else: provider answers, tokens, API calls and any other
// origin go to the network untouched (routing.ts decides).
import { configCacheName, precacheName, staleCaches } from './cache-names'
import type { PrecacheManifest } from './precache'
import { CONFIG_FILE, requestFacts, routeRequest, shouldCache } from './routing'

// The few worker types used here (the DOM lib has no ServiceWorkerGlobalScope).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request
  respondWith(response: Promise<Response>): void
}
interface WorkerScope {
  readonly registration: { readonly scope: string }
  readonly clients: { claim(): Promise<void> }
  skipWaiting(): Promise<void>
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
}
declare const self: WorkerScope
/** Replaced by the build with this build's file list and version. */
declare const __PRECACHE_MANIFEST__: PrecacheManifest

const { version, urls } = __PRECACHE_MANIFEST__
const scope = self.registration.scope
const cacheName = precacheName(scope, version)
const configCache = configCacheName(scope)
const precached = new Set(urls.map((url) => new URL(url, scope).href))
const shellUrl = new URL('./', scope).href

/** Fetches and stores every file of this build; one failure fails the install (the old stays). */
async function precache(): Promise<void> {
  const cache = await caches.open(cacheName)
  await Promise.all(
    [...precached].map(async (url) => {
      // `reload`: straight from the server, not a copy the HTTP cache kept from the last build.
      const request = new Request(url, { cache: 'reload', credentials: 'same-origin' })
      const response = await fetch(request)
      if (!shouldCache(requestFacts(request), response, scope, precached))
        throw new Error(`precache: ${url} answered ${String(response.status)}`)
      await cache.put(url, response)
    }),
  )
}

/** Drops earlier builds of this deployment; other deployments' caches are not ours. */
async function dropStale(): Promise<void> {
  const stale = staleCaches(await caches.keys(), scope, version)
  await Promise.all(stale.map((name) => caches.delete(name)))
}

/** This build's copy of a file, else the network (a cache the browser evicted). */
async function fromCache(request: Request): Promise<Response> {
  const cached = await caches.match(request.url, { cacheName })
  return cached ?? fetch(request)
}

/**
 * A page load: the network first, so an online user always gets the newest `index.html`; this
 * build's copy when the network fails. The callback's query reaches the page's script either way
 * and is never stored: the network's answer is not put in the cache.
 */
async function shell(request: Request): Promise<Response> {
  try {
    return await fetch(request)
  } catch (cause) {
    const cached = await caches.match(shellUrl, { cacheName })
    if (cached) return cached
    throw cause
  }
}

/** `providers.json`: the network first; its last good copy offline; a 404 forgets the copy. */
async function config(request: Request): Promise<Response> {
  const cache = await caches.open(configCache)
  const key = new URL(CONFIG_FILE, scope).href
  let response: Response
  try {
    response = await fetch(request)
  } catch (cause) {
    const cached = await cache.match(key)
    if (cached) return cached
    throw cause
  }
  if (shouldCache(requestFacts(request), response, scope, precached))
    await cache.put(key, response.clone())
  else if (response.status === 404) await cache.delete(key)
  return response
}

self.addEventListener('install', (event) => {
  // A new deployment takes over at once: the page it serves next is network-first anyway.
  event.waitUntil(precache().then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(dropStale().then(() => self.clients.claim()))
})

self.addEventListener('fetch', (event) => {
  const route = routeRequest(requestFacts(event.request), scope, precached)
  // Not ours: no respondWith, the browser fetches as if there were no worker.
  if (route === 'network') return
  const respond = route === 'precached' ? fromCache : route === 'shell' ? shell : config
  event.respondWith(respond(event.request))
})
