import { lazy } from 'solid-js'

// Panels a signed-out first visit does not show, or shows only after the first paint: each loads
// on first render, and prefetchPanels() fetches them all once the page has painted, so a press
// on Log in or a panel never waits for the network.

/** The signature line, claims table and raw token (with the claim descriptions). */
export const TokenInspector = lazy(() =>
  import('./TokenInspector').then((m) => ({ default: m.TokenInspector })),
)

/** The API console (region `API`): below the session on a phone, filled in just after paint. */
export const ApiConsole = lazy(() =>
  import('./ApiConsole').then((m) => ({ default: m.ApiConsole })),
)

/** The Timeline region, with its request masking and curl export. */
export const Timeline = lazy(() => import('./Timeline').then((m) => ({ default: m.Timeline })))

/** One region per token held; rendered only once there are tokens. */
export const TokenPanels = lazy(() =>
  import('./TokenPanels').then((m) => ({ default: m.TokenPanels })),
)

/** The Decoder region: last in the page, filled in just after paint. */
export const Decoder = lazy(() => import('./Decoder').then((m) => ({ default: m.Decoder })))

/** Starts loading what a session renders at once: called at start-up when tokens are likely. */
export function preloadTokenViews(): void {
  void TokenPanels.preload()
  void TokenInspector.preload()
  // What those render with (loaded by them otherwise, one round trip later).
  void import('../console/inspect')
  void import('../console/lifetimes')
}

/** Fetches every panel the page may show next; for after the first paint. */
export function prefetchPanels(): void {
  preloadTokenViews()
  void Decoder.preload()
}
