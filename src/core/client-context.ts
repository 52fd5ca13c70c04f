import type { Endpoints } from './protocol/server'
import type { Profile } from './profile/types'
import type { KeyValueStore } from './storage/kv'
import type { AuthEnvironment } from './environment'
import type { TimelineStep } from './record'

/** What the steps a client loads on use (login, logout) need from it. */
export interface ClientContext {
  profile: Profile
  env: AuthEnvironment
  store: Promise<KeyValueStore>
  endpointsOf(): Promise<Endpoints>
  /** The fetch of one protocol step: timed out, and reported as a `request` event. */
  fetchFor(step: TimelineStep): typeof fetch
  /** The redirect URI: the profile's, else the page's origin and path. */
  redirectUri(): string
}
