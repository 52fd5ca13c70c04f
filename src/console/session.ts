import { preloadLogin, readHeldTokens, sweepTransients } from '../core/tools'
import type { Inspection, TokenKind } from './inspect'
import { loadCatalog, type ProfileCatalog } from './profiles'
import { refuseFragmentCallback } from './fragment-callback'
import { siteDataBlocked } from './site-data'
import { preloadCallbackCode, timedFetch } from './start-up'
import { initialState, type SessionState } from './state'
import type { Wiring } from './session-wiring'
import type { ConsoleEnvironment, Session } from './session-types'

export type { SessionEnvironment } from './client-host'
export type { ConsoleEnvironment, Session } from './session-types'
export { beginStartUp } from './start-up'

/** For a promise whose failure is reported elsewhere (or where it is awaited). */
const ignore = () => undefined
const SELECTED_KEY = 'selected'

/**
 * Creates the session controller. Start-up lists the profiles and looks for held tokens; the rest
 * (the library client, login, callback, API calls, alerts: {@link Wiring}) loads when a callback
 * or a held session needs it, or on the first action, so a signed-out first visit carries none.
 */
export function createSession(env: ConsoleEnvironment): Session {
  let state: SessionState = {
    ...initialState(),
    completingCallback: env.callback !== undefined,
    storageProblem: env.storageProblem,
  }
  const listeners = new Set<(state: SessionState) => void>()
  /** The site's `providers.json`, next to `index.html` whatever the path. */
  const providersUrl = new URL('providers.json', env.url)

  const update = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch }
    for (const listener of listeners) {
      // A listener that throws (a panel failing to render) must not stop start-up or a logout.
      try {
        listener(state)
      } catch (error) {
        console.error(error)
      }
    }
  }

  let wired: Wiring | undefined
  let wiring: Promise<Wiring> | undefined
  const wire = () =>
    (wiring ??= import('./session-wiring')
      .then(({ wireSession }) => {
        wired = wireSession({
          env,
          getState: () => state,
          update,
          subscribe: (listener) => listeners.add(listener),
          providersUrl,
          remember,
          select: (profileId) => session.select(profileId),
        })
        return wired
      })
      .catch((cause: unknown) => {
        // A chunk that failed to load (offline, a new deployment) is asked for again next time.
        wiring = undefined
        throw cause
      }))
  /** The wiring with the client of `clientFor` made: once per selection. */
  let client: Promise<Wiring> | undefined
  let clientFor: string | undefined
  /** Makes the client of `profileId`; one that failed (a chunk offline) is made again next time. */
  const makeClient = (profileId: string | undefined, fresh: boolean): Promise<Wiring> => {
    clientFor = profileId
    const made = wire().then(async (loaded) => {
      await loaded.useProfile(profileId, fresh)
      return loaded
    })
    client = made
    made.catch(() => {
      if (client === made) client = undefined
    })
    return made
  }
  const withClient = (): Promise<Wiring> =>
    client !== undefined && clientFor === state.selectedId
      ? client
      : makeClient(state.selectedId, true)
  /** Start-up, once begun: prepare() waits for it, so it makes the client of the right profile. */
  let starting: Promise<void> | undefined

  const remember = async (profileId: string) => {
    await env.store.set(SELECTED_KEY, profileId)
    update({ selectedId: profileId })
  }

  const listCatalog = (catalog: ProfileCatalog): Partial<SessionState> => ({
    profiles: catalog.listed,
    refused: [...catalog.site.refused, ...catalog.userDoc.refused],
    warnings: [...catalog.site.warnings, ...catalog.userDoc.warnings],
  })

  env.channel?.subscribe((message) => {
    if (message.type === 'profiles-changed') void wire().then((loaded) => loaded.reloadProfiles())
    else if (wired?.host.current() !== undefined) wired.host.receive(message)
    // Another tab signed in while this one had no client: the one made now reads its tokens.
    else void withClient().then((loaded) => loaded.host.receive(message), ignore)
  })

  const startUp = async () => {
    const params = env.callback
    // Read while providers.json is fetched: a callback or a held session loads its code at once.
    const remembered = env.store
      .get(SELECTED_KEY)
      .then((id) => (typeof id === 'string' ? id : undefined))
    let expected = false
    const expectSession = () => {
      if (expected) return
      expected = true
      void wire()
      env.onSessionExpected?.()
    }
    // The exchange's code too (at once, unless beginStartUp began it): the client that runs it is
    // made only after the catalog is read.
    if (params !== undefined) {
      expectSession()
      preloadCallbackCode(params, env.transientStorage)
    }
    const held = remembered.then(async (id) => {
      const tokens = id === undefined ? undefined : await readHeldTokens(env.store, id)
      if (tokens !== undefined) expectSession()
      return { id, held: tokens !== undefined }
    })
    // Awaited only when no callback made the client; a failed read then fails start-up there.
    held.catch(ignore)
    const catalog = await loadCatalog(
      env.store,
      providersUrl,
      timedFetch(env.fetch, env.timers),
      env.siteProfiles,
    )
    const ids = new Set(catalog.listed.map((entry) => entry.profile.id))
    const selectedId = [await remembered, catalog.site.default, catalog.listed[0]?.profile.id].find(
      (id): id is string => id !== undefined && ids.has(id),
    )
    update({ ...listCatalog(catalog), selectedId })
    if (env.siteDataProblem !== undefined)
      (await wire()).notices.alert(siteDataBlocked(env.siteDataProblem), 'start-up')
    if (env.fragmentCallback !== undefined) {
      const refused = refuseFragmentCallback(env.fragmentCallback, env.transientStorage)
      ;(await wire()).notices.alert(refused, 'callback')
    }
    if (params !== undefined) {
      update({ busy: true })
      try {
        const loaded = await wire()
        if (!loaded.finishLogoutReturn(params)) {
          client = loaded.host.finishCallback(params).then(() => loaded)
          await client
          // The client the callback made, for the profile it selected. None when it refused to
          // make one (the login's profile is gone): then the selected profile's is made below.
          if (loaded.host.current() === undefined) client = undefined
          else clientFor = state.selectedId
        }
      } finally {
        update({ busy: false })
      }
    }
    // After the callback, so an expired record is reported as such (login_expired), not missing.
    sweepTransients(env.transientStorage, env.now())
    if (wired?.host.current() === undefined && selectedId !== undefined) {
      const early = await held
      const hasTokens =
        early.id === selectedId
          ? early.held
          : (await readHeldTokens(env.store, selectedId)) !== undefined
      // Nothing to load: signed out at once; the client follows on first need.
      if (hasTokens) await withClient()
    }
  }

  /** Through the wiring's alerts, classified like any other; as a bare alert if that cannot load. */
  const reportStartUpFailure = async (cause: unknown) => {
    try {
      ;(await wire()).notices.alert(cause, 'start-up')
    } catch {
      const message = cause instanceof Error ? cause.message : String(cause)
      const failed = { id: -1, code: 'start_failed', message, hint: 'Reload the page.' }
      update({ alerts: [...state.alerts, failed] })
    }
  }

  const session: Session = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    start() {
      // A failed start-up is said (an alert) and still ends: the page leaves "Loading…".
      starting ??= startUp()
        .catch(reportStartUpFailure)
        .finally(() => update({ ready: true, completingCallback: false }))
      return starting
    },

    async select(profileId) {
      if (state.profiles.every((entry) => entry.profile.id !== profileId)) return
      update({ selectedId: profileId, api: { busy: false, response: undefined } })
      await env.store.set(SELECTED_KEY, profileId)
      await makeClient(profileId, false)
    },

    async prepare() {
      await starting
      await withClient()
      // What Log in and the Decoder load next; the library's own lazy step (the authorization
      // request) too, so a press works even once the server no longer has this version's code.
      await Promise.all([import('./inspect'), preloadLogin()])
    },

    wake() {
      wired?.host.wake()
    },

    dismissAlert(id) {
      update({ alerts: state.alerts.filter((item) => item.id !== id) })
    },

    // Loaded on first use; those that act on tokens make the selected profile's client first.
    login: async () => (await withClient()).login(),
    logout: async () => (await withClient()).logout(),
    refreshNow: async () => (await withClient()).refreshNow(),
    userinfo: async () => (await withClient()).userinfo(),
    send: async (request) => (await withClient()).send(request),
    confirmSend: async () => (await withClient()).confirmSend(),
    // Only offered once a send or a logout loaded the wiring.
    cancelSend: () => wired?.cancelSend(),
    endProviderSession: () => wired?.endProviderSession(),
    isConfirmed: (profileId, origin) => wired?.isConfirmed(profileId, origin) ?? false,
    saveProfile: async (input, options) => (await wire()).saveProfile(input, options),
    importProfiles: async (text, options) => (await wire()).importProfiles(text, options),
    deleteProfile: async (id) => (await wire()).deleteProfile(id),
    discoverMetadata: async (issuer) => (await wire()).discoverMetadata(issuer),
    audit: async () => (await wire()).audit(),
    inspect: async (kind: TokenKind, token: string): Promise<Inspection> =>
      (await wire()).inspect(kind, token),
    inspectPasted: async (token, keyText) => (await wire()).inspectPasted(token, keyText),
  }
  return session
}
