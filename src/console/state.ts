import type { ListedProfile, TimelineEntry } from '../core/tools'
import type { RefusedProfile } from './profiles/providers-file'
import type { Tokens } from '../core'
import type { ApiRequest, ApiResponse } from './api'

/** An error as shown to the user: each one is its own role="alert" element. */
export interface Alert {
  id: number
  /** The OAuth error code when there is one, else the app's own code. */
  code: string
  message: string
  hint: string
  /** The provider's `error_description`: untrusted, rendered as text. */
  description?: string
  /** The provider's page about the error (its `error_uri`), always `https:`. */
  moreInfo?: string
}

/** The API console's last answer, or why there is none. */
export interface ApiState {
  busy: boolean
  response: ApiResponse | undefined
  /**
   * A request held back because its URL's origin is not one the profile names: the bearer token
   * goes there only after the user confirms (RFC 9700 §4.9).
   */
  pending?: {
    request: ApiRequest
    origin: string
    /** The server the profile named when the user was asked (`serverFingerprint`). */
    server: string
  }
}

/** Everything the UI renders; replaced as a whole on each change (small, so cheap). */
export interface SessionState {
  ready: boolean
  /**
   * Start-up is completing this page's callback: the panels that need no token (API console,
   * Timeline, Decoder) wait, so their code does not compete with the exchange's.
   */
  completingCallback: boolean
  busy: boolean
  profiles: ListedProfile[]
  refused: RefusedProfile[]
  warnings: string[]
  selectedId: string | undefined
  /** Tokens of the selected profile. */
  tokens: Tokens | undefined
  alerts: Alert[]
  /** Set when IndexedDB is unavailable and tokens live in memory only. */
  storageProblem: string | undefined
  /** A refresh is being retried after a transient failure (shown until it recovers). */
  retrying: Alert | undefined
  api: ApiState
  timeline: TimelineEntry[]
  /** After Log out, when the provider has an end_session_endpoint: its session can be ended too. */
  endSession?: { profileName: string } | undefined
}

/** The state before start-up finishes. */
export function initialState(): SessionState {
  return {
    ready: false,
    completingCallback: false,
    busy: false,
    profiles: [],
    refused: [],
    warnings: [],
    selectedId: undefined,
    tokens: undefined,
    alerts: [],
    storageProblem: undefined,
    retrying: undefined,
    api: { busy: false, response: undefined },
    timeline: [],
  }
}
