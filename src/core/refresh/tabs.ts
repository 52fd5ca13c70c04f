/** The part of the Web Locks API used here (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void
}

/**
 * What one tab tells the others about a profile's tokens (for the server with fingerprint
 * `server`: a tab holding another version of the profile ignores it), or that the saved profiles
 * changed. Never carries a token.
 */
export type TabMessage =
  | { type: 'tokens-updated'; profileId: string; server: string }
  | { type: 'signed-out'; profileId: string; server: string; reason?: SignOutReason }
  | { type: 'profiles-changed' }

/** A {@link TabMessage} about one profile's tokens. */
export type TokensMessage = Exclude<TabMessage, { type: 'profiles-changed' }>

/**
 * Why a session ended, as told to every tab: `code` is the provider's OAuth error when it sent
 * one (`invalid_grant`), else the app's own (`server_changed`). What to do about it is the
 * caller's to say.
 */
export interface SignOutReason {
  code: string
  message: string
}

/** What the tabs holding one profile share: its Web Lock and its announcements. */
export interface Tabs {
  /** Runs `work` holding the profile's lock: one tab at a time refreshes, stores or deletes. */
  locked<T>(work: () => Promise<T>): Promise<T>
  /** Tells the other tabs that new tokens are stored. */
  tokensUpdated(): void
  /** Tells the other tabs that the session ended, and why. */
  signedOut(reason?: SignOutReason): void
  /** Whether `message` is about this profile at this server (not another version of it). */
  concerns(message: TabMessage): message is TokensMessage
}

/**
 * The lock and channel of one profile at one server. Without a lock manager work runs at once;
 * without a channel nothing is told (a single tab, or a test).
 */
export function createTabs(options: {
  profileId: string
  server: string
  /** Prefix of the lock's name: the deployment's namespace, so two copies never share one. */
  lockPrefix?: string
  locks?: LockManagerLike
  channel?: ChannelLike
}): Tabs {
  const { profileId, server, locks, channel } = options
  const lockName = `${options.lockPrefix ?? 'pkce-console'}:refresh:${profileId}`
  return {
    locked: (work) => (locks ? locks.request(lockName, work) : work()),
    tokensUpdated() {
      channel?.postMessage({ type: 'tokens-updated', profileId, server } satisfies TabMessage)
    },
    signedOut(reason) {
      channel?.postMessage({
        type: 'signed-out',
        profileId,
        server,
        ...(reason ? { reason } : {}),
      } satisfies TabMessage)
    },
    concerns: (message): message is TokensMessage =>
      message.type !== 'profiles-changed' &&
      message.profileId === profileId &&
      message.server === server,
  }
}
