import type { SessionEnvironment } from './client-host'
import type { ProfilesDocument } from './profiles/providers-file'
import type { SessionState } from './state'
import type { Wiring } from './session-wiring'

/** What the page adds to the session's environment. */
export interface ConsoleEnvironment extends SessionEnvironment {
  /**
   * Called at most once at start-up, as soon as it is likely to show tokens (a callback to
   * complete, or tokens held for the remembered profile) while the rest is still being read: the
   * page can start loading its token panels then, not after.
   */
  onSessionExpected?(): void
  /**
   * The site's `providers.json`, fetched by `beginStartUp` before IndexedDB was open;
   * start-up fetches it itself when absent. Later reloads of the profiles always fetch anew.
   */
  siteProfiles?: Promise<ProfilesDocument>
}

type Actions = Omit<Wiring, 'host' | 'notices' | 'useProfile' | 'reloadProfiles'>

/** The session's actions, as the UI calls them. */
export interface Session extends Omit<Actions, 'offerEndSession' | 'finishLogoutReturn'> {
  getState(): SessionState
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: SessionState) => void): () => void
  start(): Promise<void>
  select(profileId: string): Promise<void>
  /** Re-checks token expiry (the page became visible again). */
  wake(): void
  dismissAlert(id: number): void
  /**
   * Loads the selected profile's client, as the first action needing it would, and the code of
   * the likely next presses (Log in, the Decoder): called once the page has painted.
   */
  prepare(): Promise<void>
}
