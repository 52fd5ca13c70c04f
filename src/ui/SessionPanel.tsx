import { createSignal, onCleanup, Show } from 'solid-js'
import { countdown, relativeTime } from '../console/claims/time-text'
import { useSession } from './context'
import { ProviderSession } from './ProviderSession'

/** Session status (the page's one role="status"), Log in / Log out, and the expiry countdown. */
export function SessionPanel() {
  const [state, session] = useSession()
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), 1000)
  onCleanup(() => clearInterval(timer))
  const signedIn = () => state.tokens !== undefined

  return (
    <div class="session">
      <p role="status" class={signedIn() ? 'status in' : 'status out'}>
        {state.ready ? (signedIn() ? 'Signed in' : 'Signed out') : 'Loading…'}
      </p>
      <Show when={state.tokens?.expires_at}>
        {(expiresAt) => (
          <p class="expiry">
            Access token expires{' '}
            <time
              datetime={new Date(expiresAt()).toISOString()}
              title={new Date(expiresAt()).toLocaleString()}
            >
              {expiresAt() > now()
                ? countdown(expiresAt() - now())
                : `(expired ${relativeTime(expiresAt(), now())})`}
            </time>
          </p>
        )}
      </Show>
      <Show when={state.tokens?.expiry_capped}>
        <p class="notice">
          The provider gave this access token a lifetime of more than a year; PKCE Console counts it
          as expiring one year after it arrived.
        </p>
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
