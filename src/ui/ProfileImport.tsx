import { createSignal, For, onMount, Show } from 'solid-js'
import type { ImportOutcome, ServerChange } from '../console/profile-actions'
import { useSession } from './context'

const EXAMPLE = `{ "profiles": [ { "id": "my-idp", "name": "My IdP", "issuer": "https://id.example.com", "discovery": true, "client_id": "pkce-console", "scope": "openid" } ] }`

/** What the toolbar says once profiles were imported. */
function importNote(outcome: ImportOutcome): string {
  const names = outcome.imported.map((profile) => profile.name).join(', ')
  const parts = [
    outcome.imported.length === 1
      ? `Imported 1 profile: ${names}.`
      : `Imported ${String(outcome.imported.length)} profiles: ${names}.`,
  ]
  if (outcome.refused > 0) parts.push(`${String(outcome.refused)} refused (see the alerts).`)
  if (outcome.warnings.length > 0) parts.push(outcome.warnings.join('; ') + '.')
  return parts.join(' ')
}

/**
 * The import dialog (non-modal, so the rest of the page stays usable): paste a profiles document
 * or pick a file. Refused entries become alerts; the valid ones are saved. An import that would
 * point a listed profile at other servers waits for `Replace profiles`.
 */
export function ProfileImport(props: {
  draft: string
  onDraft: (text: string) => void
  /** Called with what to tell the user, once at least one profile was imported. */
  onImported: (note: string) => void
  onCancel: () => void
}) {
  const [, session] = useSession()
  const [busy, setBusy] = createSignal(false)
  const [replaces, setReplaces] = createSignal<ServerChange[]>([])
  let textarea: HTMLTextAreaElement | undefined
  onMount(() => textarea?.focus())

  const onFile = async (file: File | undefined) => {
    if (file !== undefined) props.onDraft(await file.text())
  }

  const runImport = async (replace: boolean) => {
    setBusy(true)
    const outcome = await session.importProfiles(props.draft, { replace })
    setBusy(false)
    setReplaces(outcome.replaces)
    // Nothing imported: the dialog stays, with the text, so it can be corrected.
    if (outcome.imported.length > 0) props.onImported(importNote(outcome))
  }

  const onImport = (event: SubmitEvent) => {
    event.preventDefault()
    void runImport(false)
  }

  return (
    <dialog open class="panel" aria-labelledby="import-heading">
      <h3 id="import-heading">Import profiles</h3>
      <form onSubmit={onImport}>
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
            onInput={(event) => {
              setReplaces([])
              props.onDraft(event.currentTarget.value)
            }}
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
        <Show when={replaces().length > 0}>
          <div class="panel" role="group" aria-labelledby="replace-heading">
            <h4 id="replace-heading">Replace profiles?</h4>
            <p>
              These profiles would point at other servers, or change how their logins and tokens are
              protected. Nothing is imported until you confirm.
            </p>
            <ul aria-label="Profiles to replace">
              <For each={replaces()}>
                {(change) => (
                  <li>
                    {change.name} ({change.id}): {change.fields.join(', ')} change
                    {change.moves
                      ? '; its tokens in this browser are forgotten, and the next login goes to the new server'
                      : ''}
                  </li>
                )}
              </For>
            </ul>
            <button type="button" disabled={busy()} onClick={() => void runImport(true)}>
              Replace profiles
            </button>
          </div>
        </Show>
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
