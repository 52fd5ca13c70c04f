import { createSignal, lazy, Match, Show, Switch } from 'solid-js'
import type { ImportOutcome } from '../console/profile-actions'
import { useSession } from './context'

// The panels load when first opened: most visits never edit a profile, so the start page skips them.
const ProfileEditor = lazy(() =>
  import('./ProfileEditor').then((m) => ({ default: m.ProfileEditor })),
)
const ProfileExport = lazy(() =>
  import('./ProfileExport').then((m) => ({ default: m.ProfileExport })),
)
const ProfileImport = lazy(() =>
  import('./ProfileImport').then((m) => ({ default: m.ProfileImport })),
)

type Panel = 'none' | 'new' | 'edit' | 'import' | 'export' | 'delete'

const SOURCE_TEXT = {
  site: "from this site's providers.json",
  builtin: 'a built-in preset',
  user: 'your own, saved in this browser',
}

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
 * Profile management: New, Edit, Import, Export, Delete. One task at a time: while a form or
 * dialog is open, the toolbar gives way to it.
 */
export function ProfileManager() {
  const [state, session] = useSession()
  const [panel, setPanel] = createSignal<Panel>('none')
  const [note, setNote] = createSignal<string>()
  const [importDraft, setImportDraft] = createSignal('')
  let heading: HTMLHeadingElement | undefined

  const selected = () => state.profiles.find((entry) => entry.profile.id === state.selectedId)
  const open = (next: Panel) => {
    setNote(undefined)
    setPanel(next)
  }
  const close = (message?: string) => {
    setPanel('none')
    setNote(message)
    heading?.focus()
  }

  const onImported = (outcome: ImportOutcome) => {
    // Nothing imported: the dialog stays, with the text, so it can be corrected.
    if (outcome.imported.length === 0) return
    setImportDraft('')
    close(importNote(outcome))
  }

  const onDelete = async (id: string, name: string) => {
    await session.deleteProfile(id)
    close(`Deleted your profile "${name}".`)
  }

  const toolbar = () => (
    <>
      <Show when={selected()}>
        {(entry) => (
          <p class="field-hint">
            {entry().profile.name}: {SOURCE_TEXT[entry().source]}
            {entry().overrides !== undefined ? ' (your copy replaces the original)' : ''}.
          </p>
        )}
      </Show>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => open('new')}>
          New profile
        </button>
        <button
          type="button"
          class="secondary"
          disabled={selected() === undefined}
          onClick={() => open('edit')}
        >
          Edit profile
        </button>
        <button type="button" class="secondary" onClick={() => open('import')}>
          Import profiles
        </button>
        <button type="button" class="secondary" onClick={() => open('export')}>
          Export profiles
        </button>
        <Show when={selected()?.source === 'user'}>
          <button type="button" class="secondary" onClick={() => open('delete')}>
            Delete profile
          </button>
        </Show>
      </div>
      <Show when={note()}>
        {(text) => (
          <p class="notice" role="note">
            {text()}
          </p>
        )}
      </Show>
    </>
  )

  return (
    <section class="card profiles" aria-labelledby="profiles-heading">
      <h2 id="profiles-heading" tabindex="-1" ref={(element) => (heading = element)}>
        Profiles
      </h2>
      <Switch fallback={toolbar()}>
        <Match when={panel() === 'new'}>
          <ProfileEditor
            onSaved={(profile) => close(`Saved "${profile.name}"; it is selected.`)}
            onCancel={() => close()}
          />
        </Match>
        <Match when={panel() === 'edit' && selected()}>
          {(entry) => (
            <ProfileEditor
              editing={entry()}
              onSaved={(profile) => close(`Saved "${profile.name}"; it is selected.`)}
              onCancel={() => close()}
            />
          )}
        </Match>
        <Match when={panel() === 'import'}>
          <ProfileImport
            draft={importDraft()}
            onDraft={setImportDraft}
            onImported={onImported}
            onCancel={() => close()}
          />
        </Match>
        <Match when={panel() === 'export'}>
          <ProfileExport onClose={() => close()} />
        </Match>
        <Match when={panel() === 'delete' && selected()}>
          {(entry) => (
            <div class="panel" role="group" aria-labelledby="delete-heading">
              <h3 id="delete-heading">Delete profile</h3>
              <p>
                {entry().overrides !== undefined
                  ? `Delete your copy of “${entry().profile.name}” from this browser? The original it replaced comes back.`
                  : `Delete your profile “${entry().profile.name}” and its tokens from this browser?`}
              </p>
              <div class="actions">
                <button
                  type="button"
                  onClick={() => void onDelete(entry().profile.id, entry().profile.name)}
                >
                  Delete
                </button>
                <button type="button" class="secondary" onClick={() => close()}>
                  Cancel
                </button>
              </div>
            </div>
          )}
        </Match>
      </Switch>
    </section>
  )
}
