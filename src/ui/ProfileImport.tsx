import { createSignal, onMount } from 'solid-js'
import type { ImportOutcome } from '../session/profile-actions'
import { useSession } from './context'

const EXAMPLE = `{ "profiles": [ { "id": "my-idp", "name": "My IdP", "issuer": "https://id.example.com", "discovery": true, "client_id": "pkce-console", "scope": "openid" } ] }`

/**
 * The import dialog (non-modal, so the rest of the page stays usable): paste a profiles document
 * or pick a file. Refused entries become alerts; the valid ones are saved.
 */
export function ProfileImport(props: {
  draft: string
  onDraft: (text: string) => void
  onImported: (outcome: ImportOutcome) => void
  onCancel: () => void
}) {
  const [, session] = useSession()
  const [busy, setBusy] = createSignal(false)
  let textarea: HTMLTextAreaElement | undefined
  onMount(() => textarea?.focus())

  const onFile = async (file: File | undefined) => {
    if (file !== undefined) props.onDraft(await file.text())
  }

  const onImport = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    const outcome = await session.importProfiles(props.draft)
    setBusy(false)
    props.onImported(outcome)
  }

  return (
    <dialog open class="panel" aria-labelledby="import-heading">
      <h3 id="import-heading">Import profiles</h3>
      <form onSubmit={(e) => void onImport(e)}>
        <div class="field">
          <label for="profiles-json">Profiles JSON</label>
          <textarea
            id="profiles-json"
            ref={(element) => (textarea = element)}
            rows={10}
            spellcheck={false}
            placeholder={EXAMPLE}
            aria-describedby="profiles-json-hint"
            value={props.draft}
            onInput={(event) => props.onDraft(event.currentTarget.value)}
          />
          <p class="field-hint" id="profiles-json-hint">
            The providers.json format: {'{ "profiles": [ … ] }'} or a bare list. A profile with the
            id of one you have replaces it; one with the id of a site or built-in profile takes its
            place.
          </p>
        </div>
        <div class="field">
          <label for="profiles-file">Profiles file</label>
          <input
            id="profiles-file"
            type="file"
            accept="application/json,.json"
            onChange={(event) => void onFile(event.currentTarget.files?.[0])}
          />
        </div>
        <div class="actions">
          <button type="submit" disabled={busy() || props.draft.trim() === ''}>
            Import
          </button>
          <button type="button" class="secondary" onClick={() => props.onCancel()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  )
}
