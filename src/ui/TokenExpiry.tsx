import { createSignal, onCleanup, Show } from 'solid-js'
import { countdown, relativeTime } from '../console/claims/time-text'
import { useSession } from './context'

/**
 * The access token's expiry countdown, ticking each second, and the note on a capped lifetime.
 * Loaded with the token views: a signed-out start page has no token to count down.
 */
export function TokenExpiry() {
  const [state] = useSession()
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), 1000)
  onCleanup(() => clearInterval(timer))

  return (
    <>
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
    </>
  )
}
