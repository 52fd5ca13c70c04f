import { createContext, onCleanup, useContext, type ParentProps } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import type { Session } from '../console/session'
import type { SessionState } from '../console/state'

const SessionContext = createContext<[SessionState, Session]>()

/** Mirrors the framework-free session into a Solid store; `[state, actions]` for components. */
export function SessionProvider(props: ParentProps<{ session: Session }>) {
  // eslint-disable-next-line solid/reactivity -- the session object is fixed for the app's life
  const session = props.session
  const [state, setState] = createStore<SessionState>(structuredClone(session.getState()))
  const unsubscribe = session.subscribe((next) => setState(reconcile(next)))
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
