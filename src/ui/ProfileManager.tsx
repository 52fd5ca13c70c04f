import { createSignal, Match, Show, Switch } from 'solid-js'
import { useSession } from './context'
import { ProfileDelete, ProfileEditor, ProfileExport, ProfileImport } from './lazy-panels'

type Panel = 'none' | 'new' | 'edit' | 'import' | 'export' | 'delete'

const SOURCE_TEXT = {
  site: "from this site's providers.json",
  builtin: 'a built-in preset',
  user: 'your own, saved in this browser',
}

/**
 * Profile management: New, Edit, Import, Export, Delete. One task at a time: while a form or
 * dialog is open, the toolbar gives way to it.
 */
export function ProfileManager() {
  const [state] = useSession()
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

  const onImported = (message: string) => {
    setImportDraft('')
    close(message)
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
          {(entry) => <ProfileDelete entry={entry()} onDone={close} />}
        </Match>
      </Switch>
    </section>
  )
}
