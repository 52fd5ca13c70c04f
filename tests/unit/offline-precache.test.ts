import { describe, expect, it } from 'vitest'
import { manifestOf } from '../../build/service-worker'
import {
  cacheNamespace,
  configCacheName,
  precacheName,
  staleCaches,
} from '../../src/offline/cache-names'
import { precacheUrls } from '../../src/offline/precache'
import { registerServiceWorker } from '../../src/offline/register'
import { deploymentNamespace } from '../../src/core/storage/namespace'

const PRODUCTION = 'https://tools.test/console/'
const STAGING = 'https://tools.test/staging/'

describe('precache list', () => {
  it("names the build's files relative to the scope, the page as ./, without sw.js or maps", () => {
    expect(
      precacheUrls([
        'index.html',
        'sw.js',
        'assets/index-abc.js',
        'assets/index-abc.js.map',
        'assets/index-def.css',
        'manifest.webmanifest',
        'icons/icon-192.png',
        'providers.json',
      ]),
    ).toEqual([
      './',
      'assets/index-abc.js',
      'assets/index-def.css',
      'icons/icon-192.png',
      'manifest.webmanifest',
    ])
  })

  it("has a version that changes with any file's content, not with the worker's", () => {
    const build = (html: string, worker = 'w1') =>
      manifestOf(
        new Map<string, string | Uint8Array>([
          ['index.html', html],
          ['assets/a-1.js', 'code'],
          ['icons/i.png', new Uint8Array([1, 2, 3])],
          ['sw.js', worker],
        ]),
      )
    expect(build('<p>1</p>').version).toMatch(/^[0-9a-f]{16}$/)
    expect(build('<p>1</p>').version).toBe(build('<p>1</p>', 'w2').version)
    expect(build('<p>1</p>').version).not.toBe(build('<p>2</p>').version)
    expect(build('<p>1</p>').urls).toEqual(['./', 'assets/a-1.js', 'icons/i.png'])
  })
})

describe('cache names', () => {
  it('carry the deployment namespace, as its database does', () => {
    expect(cacheNamespace(PRODUCTION)).toBe(deploymentNamespace(new URL(PRODUCTION)))
    expect(precacheName(PRODUCTION, 'v1')).toBe('pkce-console:/console/|precache|v1')
    expect(configCacheName(PRODUCTION)).toBe('pkce-console:/console/|config')
  })

  it("an update deletes its own deployment's older builds and nothing else", () => {
    const names = [
      precacheName(PRODUCTION, 'v1'),
      precacheName(PRODUCTION, 'v2'),
      configCacheName(PRODUCTION),
      precacheName(STAGING, 'v1'),
      precacheName(`${PRODUCTION}nested/`, 'v1'),
      'someone-else',
    ]
    expect(staleCaches(names, PRODUCTION, 'v2')).toEqual([precacheName(PRODUCTION, 'v1')])
    expect(staleCaches(names, STAGING, 'v1')).toEqual([])
  })
})

describe('registerServiceWorker', () => {
  it("registers ./sw.js for the app's own directory", async () => {
    const calls: unknown[] = []
    const container = { register: (...args: unknown[]) => Promise.resolve(calls.push(args)) }
    expect(await registerServiceWorker(container)).toBe(true)
    expect(calls).toEqual([['./sw.js', { scope: './' }]])
  })

  it('survives a refused registration and says only that offline start is unavailable', async () => {
    const warnings: string[] = []
    const container = {
      register: () =>
        Promise.reject(new DOMException('at https://x/?code=secret', 'SecurityError')),
    }
    expect(await registerServiceWorker(container, (text) => warnings.push(text))).toBe(false)
    expect(await registerServiceWorker(undefined)).toBe(false)
    expect(warnings).toEqual(['PKCE Console: offline start is unavailable (SecurityError).'])
  })
})
