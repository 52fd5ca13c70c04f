import { For, Show } from 'solid-js'
import { useSession } from './context'

/** Every error as its own role="alert" element; provider text is rendered as text only. */
export function Alerts() {
  const [state, session] = useSession()
  return (
    <div class="alerts">
      <For each={state.refused}>
        {(refused) => (
          <div role="alert" class="alert">
            <p>
              <strong>invalid_profile</strong>: the profile{' '}
              {refused.id !== undefined ? `"${refused.id}"` : ''} in {refused.source} was refused:{' '}
              {refused.errors.join('; ')}.
            </p>
            <p class="hint">Fix the file or the profile; the other profiles still work.</p>
          </div>
        )}
      </For>
      <Show when={state.retrying}>
        {(item) => (
          <div role="alert" class="alert">
            <p>
              <strong>{item().code}</strong>: {item().message}
            </p>
            <p class="hint">{item().hint}</p>
          </div>
        )}
      </Show>
      <For each={state.alerts}>
        {(item) => (
          <div role="alert" class="alert">
            <p>
              <strong>{item.code}</strong>: {item.message}
            </p>
            <Show when={item.description}>
              {(description) => <p class="description">Provider says: “{description()}”</p>}
            </Show>
            <Show when={item.moreInfo}>
              {(uri) => (
                <p class="description">
                  <a href={uri()} target="_blank" rel="noopener noreferrer">
                    The provider's page about this error
                  </a>
                </p>
              )}
            </Show>
            <p class="hint">{item.hint}</p>
            <button type="button" class="quiet" onClick={() => session.dismissAlert(item.id)}>
              Dismiss
            </button>
          </div>
        )}
      </For>
    </div>
  )
}
