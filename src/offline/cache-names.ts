// Cache Storage is shared by every page of an origin: each deployment's caches carry its path,
// as its database and sessionStorage keys do (src/core/storage/namespace.ts), so a staging copy's
// update never deletes production's files.

/** `pkce-console:<scope path>`, the deployment namespace of the worker's scope. */
export function cacheNamespace(scope: string): string {
  return `pkce-console:${new URL(scope).pathname}`
}

/** The cache of one build's files: `<namespace>|precache|<version>`. */
export function precacheName(scope: string, version: string): string {
  return `${cacheNamespace(scope)}|precache|${version}`
}

/** The cache holding the deployment's last good `providers.json`; it outlives builds. */
export function configCacheName(scope: string): string {
  return `${cacheNamespace(scope)}|config`
}

/**
 * The caches an activating build deletes: earlier builds of this deployment only. Another
 * deployment's caches, even one nested under this path, and any cache not ours, are left alone.
 */
export function staleCaches(names: readonly string[], scope: string, version: string): string[] {
  const prefix = `${cacheNamespace(scope)}|precache|`
  const current = precacheName(scope, version)
  return names.filter((name) => name.startsWith(prefix) && name !== current)
}
