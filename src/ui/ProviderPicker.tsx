import { For } from 'solid-js'
import { useSession } from './context'

/** The `Provider` combobox: one option per profile, labelled with its name. */
export function ProviderPicker() {
  const [state, session] = useSession()
  return (
    <div class="field">
      <label for="provider">Provider</label>
      <select
        id="provider"
        value={state.selectedId ?? ''}
        disabled={state.busy}
        onChange={(event) => void session.select(event.currentTarget.value)}
      >
        <For each={state.profiles}>
          {(entry) => (
            <option value={entry.profile.id} selected={entry.profile.id === state.selectedId}>
              {entry.profile.name}
            </option>
          )}
        </For>
      </select>
    </div>
  )
}
