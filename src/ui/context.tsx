import {
  batch,
  createContext,
  createSignal,
  onCleanup,
  useContext,
  type ParentProps,
} from 'solid-js'
import type { Session } from '../console/session'
import type { SessionState } from '../console/state'

const SessionContext = createContext<[SessionState, Session]>()

/** Every field of the state, so the mirror below has a signal for each (the compiler checks). */
const FIELDS: Record<keyof SessionState, true> = {
  ready: true,
  completingCallback: true,
  busy: true,
  profiles: true,
  refused: true,
  warnings: true,
  selectedId: true,
  tokens: true,
  alerts: true,
  storageProblem: true,
  retrying: true,
  api: true,
  timeline: true,
  endSession: true,
}

/**
 * Whether a field changed. The session replaces only the fields it changes (arrays keep their
 * items), so identity says it, except for a record such as the tokens, which a client may hand
 * over again unchanged: then by value, so the token panels are not built anew.
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) return false
  try {
    return JSON.stringify(a) === JSON.stringify(b)
  } catch {
    // Too deep to serialize (a provider's answer): taken as changed, so the panel still updates.
    return false
  }
}

/**
 * A read-only view of the session's state with one signal per field: components read
 * `state.tokens` and re-run when that field changes. (A field-level mirror is all the UI needs,
 * and it keeps solid-js/store off the start page.)
 */
function mirror(session: Session): { state: SessionState; unsubscribe: () => void } {
  const state = {} as SessionState
  const setters: ((next: SessionState) => void)[] = []
  const initial = session.getState()
  for (const field of Object.keys(FIELDS) as (keyof SessionState)[]) {
    const [read, write] = createSignal<unknown>(initial[field], { equals: same })
    Object.defineProperty(state, field, { enumerable: true, get: read })
    setters.push((next) => write(() => next[field]))
  }
  // One batch, as one change: no panel renders a mix of the old state and the new.
  const unsubscribe = session.subscribe((next) => {
    batch(() => {
      for (const set of setters) set(next)
    })
  })
  return { state, unsubscribe }
}

/** Mirrors the framework-free session into signals; `[state, actions]` for components. */
export function SessionProvider(props: ParentProps<{ session: Session }>) {
  // eslint-disable-next-line solid/reactivity -- the session object is fixed for the app's life
  const session = props.session
  const { state, unsubscribe } = mirror(session)
  onCleanup(unsubscribe)
  return (
    <SessionContext.Provider value={[state, session]}>{props.children}</SessionContext.Provider>
  )
}

/** The session's state and actions; only inside {@link SessionProvider}. */
export function useSession(): [SessionState, Session] {
  const value = useContext(SessionContext)
  if (value === undefined) throw new Error('useSession() outside <SessionProvider>')
  return value
}
