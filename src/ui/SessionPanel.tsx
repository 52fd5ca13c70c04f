import { Show } from 'solid-js'
import { useSession } from './context'
import { TokenExpiry } from './lazy-panels'
import { PanelBoundary } from './PanelBoundary'
import { ProviderSession } from './ProviderSession'

/** Session status (the page's one role="status"), Log in / Log out, and the expiry countdown. */
export function SessionPanel() {
  const [state, session] = useSession()
  const signedIn = () => state.tokens !== undefined

  return (
    <div class="session">
      <p role="status" class={signedIn() ? 'status in' : 'status out'}>
        {state.ready ? (signedIn() ? 'Signed in' : 'Signed out') : 'Loading…'}
      </p>
      {/* Its own boundary: a countdown that fails to load must not take Log in and Log out along. */}
      <Show when={signedIn()}>
        <PanelBoundary name="Token expiry">
          <TokenExpiry />
        </PanelBoundary>
      </Show>
      <div class="actions">
        <button
          type="button"
          onClick={() => void session.login()}
          disabled={!state.ready || state.busy}
        >
          Log in
        </button>
        <Show when={signedIn()}>
          <button type="button" class="secondary" onClick={() => void session.refreshNow()}>
            Refresh now
          </button>
          <button type="button" class="secondary" onClick={() => void session.logout()}>
            Log out
          </button>
        </Show>
      </div>
      <ProviderSession />
    </div>
  )
}
