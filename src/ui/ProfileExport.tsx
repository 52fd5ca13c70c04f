import { createMemo, createSignal, onCleanup, onMount, Show } from 'solid-js'
import { EXPORT_FILE_NAME, exportProfiles } from '../console/profiles/export'
import { useSession } from './context'

/**
 * The export panel: the document as a download and in a read-only textbox. Secrets (client
 * secrets, API key headers) stay out unless "Include secrets" is ticked; the download starts
 * once, without secrets, on opening.
 */
export function ProfileExport(props: { onClose: () => void }) {
  const [state] = useSession()
  const [includeSecrets, setIncludeSecrets] = createSignal(false)
  // From the state's profiles, so an edit elsewhere re-exports.
  const exported = createMemo(() => exportProfiles(state.profiles, includeSecrets()))
  const href = createMemo(() => {
    const url = URL.createObjectURL(new Blob([exported().json], { type: 'application/json' }))
    onCleanup(() => URL.revokeObjectURL(url))
    return url
  })
  let link: HTMLAnchorElement | undefined
  onMount(() => link?.click())

  return (
    <section class="panel" aria-labelledby="export-heading">
      <h3 id="export-heading">Export profiles</h3>
      <p class="field-hint">
        {exported().count === 1 ? '1 profile' : `${String(exported().count)} profiles`} (the site's
        and your own; built-in presets are left out).
      </p>
      <div class="field check">
        <input
          id="export-secrets"
          type="checkbox"
          checked={includeSecrets()}
          onChange={(event) => setIncludeSecrets(event.currentTarget.checked)}
        />
        <label for="export-secrets">Include secrets</label>
      </div>
      <Show when={includeSecrets()}>
        <p class="notice" role="note">
          The export contains secrets: anyone who gets the file can use them.
        </p>
      </Show>
      <Show when={!includeSecrets() && exported().secretsOmitted > 0}>
        <p class="field-hint">
          {String(exported().secretsOmitted)} secret(s) left out (client secrets, API key headers);
          tick Include secrets to export them.
        </p>
      </Show>
      <div class="field">
        <label for="exported-json">Exported profiles JSON</label>
        <textarea
          id="exported-json"
          rows={10}
          readOnly
          spellcheck={false}
          value={exported().json}
        />
      </div>
      <div class="actions">
        <a
          class="button"
          ref={(element) => (link = element)}
          href={href()}
          download={EXPORT_FILE_NAME}
        >
          Download {EXPORT_FILE_NAME}
        </a>
        <button type="button" class="secondary" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </section>
  )
}
