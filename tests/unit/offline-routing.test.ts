import { describe, expect, it } from 'vitest'
import { routeRequest, shouldCache, type RequestFacts } from '../../src/offline/routing'

const SCOPE = 'https://tools.test/console/'
const PRECACHED = new Set([
  SCOPE,
  `${SCOPE}assets/index-abc.js`,
  `${SCOPE}manifest.webmanifest`,
  `${SCOPE}icons/icon-192.png`,
])
const get = (url: string, more: Partial<RequestFacts> = {}): RequestFacts => ({
  url,
  method: 'GET',
  mode: 'cors',
  authorization: false,
  ...more,
})
const page = (url: string) => get(url, { mode: 'navigate' })
const ok = { status: 200, type: 'basic', redirected: false }
const route = (request: RequestFacts) => routeRequest(request, SCOPE, PRECACHED)
const cacheable = (request: RequestFacts, response = ok) =>
  shouldCache(request, response, SCOPE, PRECACHED)

describe('routeRequest', () => {
  it('answers page loads of the app, callbacks included, network first', () => {
    expect(route(page(SCOPE))).toBe('shell')
    expect(route(page(`${SCOPE}index.html`))).toBe('shell')
    expect(route(page(`${SCOPE}?code=c&state=s&iss=https%3A%2F%2Fid.test`))).toBe('shell')
    expect(route(page(`${SCOPE}?error=access_denied&state=s`))).toBe('shell')
  })

  it('leaves other pages alone: a nested deployment, another path, another origin', () => {
    expect(route(page(`${SCOPE}nested/`))).toBe('network')
    expect(route(page('https://tools.test/other/'))).toBe('network')
    expect(route(page('https://id.test/authorize?client_id=x'))).toBe('network')
  })

  it("serves only this build's own files from the cache", () => {
    expect(route(get(`${SCOPE}assets/index-abc.js`))).toBe('precached')
    expect(route(get(`${SCOPE}icons/icon-192.png`))).toBe('precached')
    expect(route(get(`${SCOPE}assets/index-old.js`))).toBe('network')
    expect(route(get(`${SCOPE}sw.js`))).toBe('network')
    expect(route(get(`${SCOPE}assets/index-abc.js?v=1`))).toBe('network')
  })

  it('sends providers.json network first, and nothing else by that name', () => {
    expect(route(get(`${SCOPE}providers.json`))).toBe('config')
    expect(route(get(`${SCOPE}providers.json?x=1`))).toBe('network')
    expect(route(get('https://tools.test/providers.json'))).toBe('network')
  })

  it('never touches provider, API or credentialed requests', () => {
    expect(route(get('https://id.test/.well-known/openid-configuration'))).toBe('network')
    expect(route(get('https://id.test/token', { method: 'POST' }))).toBe('network')
    expect(route(get(`${SCOPE}assets/index-abc.js`, { authorization: true }))).toBe('network')
    expect(route(get(`${SCOPE}providers.json`, { method: 'POST' }))).toBe('network')
    expect(route(get('https://tools.test.evil/console/assets/index-abc.js'))).toBe('network')
  })
})

describe('shouldCache', () => {
  it("stores this build's files and providers.json, answered 200 by the same origin", () => {
    expect(cacheable(get(SCOPE))).toBe(true)
    expect(cacheable(get(`${SCOPE}assets/index-abc.js`))).toBe(true)
    expect(cacheable(get(`${SCOPE}providers.json`))).toBe(true)
  })

  it('never stores a URL with a query or fragment, a page load, or a credentialed request', () => {
    expect(cacheable(get(`${SCOPE}?code=c&state=s`))).toBe(false)
    expect(cacheable(page(SCOPE))).toBe(false)
    expect(cacheable(page(`${SCOPE}?code=c&state=s`))).toBe(false)
    expect(cacheable(get(`${SCOPE}providers.json#x`))).toBe(false)
    expect(cacheable(get(`${SCOPE}providers.json`, { authorization: true }))).toBe(false)
  })

  it("never stores another origin's answer: tokens, metadata, API bodies", () => {
    for (const url of ['https://id.test/token', 'https://id.test/jwks', 'https://api.test/me'])
      expect(cacheable(get(url), { status: 200, type: 'cors', redirected: false })).toBe(false)
  })

  it('never stores an error, an opaque answer or a redirected one', () => {
    const asset = get(`${SCOPE}assets/index-abc.js`)
    expect(cacheable(asset, { ...ok, status: 404 })).toBe(false)
    expect(cacheable(asset, { ...ok, status: 206 })).toBe(false)
    expect(cacheable(asset, { ...ok, type: 'opaque' })).toBe(false)
    expect(cacheable(asset, { ...ok, redirected: true })).toBe(false)
  })
})
