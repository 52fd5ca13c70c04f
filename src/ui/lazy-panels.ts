import { lazy } from 'solid-js'

// Panels a signed-out first visit does not show, or shows only after the first paint: each loads
// on first render, and prefetchPanels() fetches them all once the page has painted, so a press
// on Log in or a panel never waits for the network.

/** The signature line, claims table and raw token (with the claim descriptions). */
export const TokenInspector = lazy(() =>
  import('./TokenInspector').then((m) => ({ default: m.TokenInspector })),
)

/** Starts loading what a held session renders at once: called while tokens are being read. */
export function preloadTokenViews(): void {
  void TokenInspector.preload()
}

/** Fetches every panel the page may show next; for after the first paint. */
export function prefetchPanels(): void {
  preloadTokenViews()
}
