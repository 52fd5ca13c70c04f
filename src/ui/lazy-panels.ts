import { lazy } from 'solid-js'

// Panels a signed-out first visit does not show, or fills in just after its first render (on a
// callback page, once start-up is over): each loads on first render, and main.tsx prefetches the
// token views once the page has loaded and the rest (prefetchPanels) once start-up is over too,
// so a paste, a profile tool or the first token never waits for the network.

/** The signature line, claims table and raw token (with the claim descriptions). */
export const TokenInspector = lazy(() =>
  import('./TokenInspector').then((m) => ({ default: m.TokenInspector })),
)

/** The access token's expiry countdown in the Session area. */
export const TokenExpiry = lazy(() =>
  import('./TokenExpiry').then((m) => ({ default: m.TokenExpiry })),
)

/** The API console (region `API`): below the session on a phone, filled in just after the first render. */
export const ApiConsole = lazy(() =>
  import('./ApiConsole').then((m) => ({ default: m.ApiConsole })),
)

/** The Timeline region, with its request masking and curl export. */
export const Timeline = lazy(() => import('./Timeline').then((m) => ({ default: m.Timeline })))

/** One region per token held; rendered only once there are tokens. */
export const TokenPanels = lazy(() =>
  import('./TokenPanels').then((m) => ({ default: m.TokenPanels })),
)

/** The token lifetimes chart: rendered with the first token a signed-out page never has. */
export const TokenLifetimes = lazy(() =>
  import('./TokenLifetimes').then((m) => ({ default: m.TokenLifetimes })),
)

/** The Decoder region: last in the page, filled in just after the first render. */
export const Decoder = lazy(() => import('./Decoder').then((m) => ({ default: m.Decoder })))

// The profile tools load when first opened (most visits never edit a profile) or after paint.
export const ProfileEditor = lazy(() =>
  import('./ProfileEditor').then((m) => ({ default: m.ProfileEditor })),
)
export const ProfileExport = lazy(() =>
  import('./ProfileExport').then((m) => ({ default: m.ProfileExport })),
)
export const ProfileImport = lazy(() =>
  import('./ProfileImport').then((m) => ({ default: m.ProfileImport })),
)
export const ProfileDelete = lazy(() =>
  import('./ProfileDelete').then((m) => ({ default: m.ProfileDelete })),
)

/** Starts loading what a session renders at once: called at start-up when tokens are likely. */
export function preloadTokenViews(): void {
  void TokenPanels.preload()
  void TokenInspector.preload()
  void TokenExpiry.preload()
  // What those render with (loaded by them otherwise, one round trip later).
  void import('../console/inspect')
  void import('../console/lifetimes')
}

/**
 * Fetches every panel the page may show next, for after the first paint: then a press opens its
 * panel at once, even when a new deployment has replaced this version's files on the server.
 */
export function prefetchPanels(): void {
  preloadTokenViews()
  void Decoder.preload()
  for (const panel of [ProfileEditor, ProfileExport, ProfileImport, ProfileDelete])
    void panel.preload()
}
