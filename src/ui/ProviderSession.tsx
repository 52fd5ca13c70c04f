import { Show } from 'solid-js'
import { useSession } from './context'

/**
 * The session area's provider-side extras: the warning for a profile with a client secret, the
 * Userinfo button, and after Log out the offer to end the provider's own session.
 */
export function ProviderSession() {
  const [state, session] = useSession()
  const profile = () =>
    state.profiles.find((entry) => entry.profile.id === state.selectedId)?.profile
  const signedIn = () => state.tokens !== undefined
  const hasUserinfo = () =>
    profile()?.userinfo_endpoint !== undefined || profile()?.discovery === true

  return (
    <>
      <Show when={(profile()?.client_secret ?? '') !== ''}>
        <p class="notice secret-warning" role="note">
          This profile uses a Client secret (the confidential flow). A browser cannot keep a secret:
          anyone who can open this page, and any script running in it, can read it. Use a secret
          only with a test client.
        </p>
      </Show>
      <Show when={signedIn() && hasUserinfo()}>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => void session.userinfo()}>
            Userinfo
          </button>
        </div>
      </Show>
      <Show when={!signedIn() ? state.endSession : undefined}>
        {(offer) => (
          <div class="end-session">
            <p class="hint">
              Signed out of PKCE Console. {offer().profileName} may still remember you: ending its
              session too means its next login asks again.
            </p>
            <button type="button" class="secondary" onClick={() => session.endProviderSession()}>
              End provider session
            </button>
          </div>
        )}
      </Show>
    </>
  )
}
