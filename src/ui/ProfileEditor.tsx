import { createSignal, For, onMount, Show } from 'solid-js'
import { createStore } from 'solid-js/store'
import {
  applyPreset,
  emptyFormValues,
  formValuesOf,
  profileInputOf,
  withDiscovered,
  type ProfileFormValues,
} from '../console/profiles/form'
import { isPresetId, FIELD_LABELS, type ListedProfile, type Profile } from '../core/tools'
import { labelProblem } from '../console/profiles/describe'
import type { InlineAlert } from '../console/profile-actions'
import { useSession } from './context'
import { CheckField, PresetField, TextAreaField, TextField, type FieldProps } from './ProfileFields'

const SOURCE_NOTE: Record<string, string> = {
  site: "This profile comes from the site's providers.json. Saving keeps your own copy in this browser, which takes its place.",
  builtin:
    'This is a built-in preset. Saving keeps your own copy in this browser, which takes its place.',
  user: 'Your own profile, saved in this browser.',
}

/**
 * The profile form (`New profile`, `Edit profile`). Components never fetch: Discover and Save go
 * through the session. Problems are shown as one role="alert" naming every field concerned.
 */
export function ProfileEditor(props: {
  /** The profile edited; the form starts from its values, or empty without one. */
  editing?: ListedProfile
  onSaved: (profile: Profile) => void
  onCancel: () => void
}) {
  const [, session] = useSession()
  const [values, setValues] = createStore<ProfileFormValues>({
    // eslint-disable-next-line solid/reactivity -- the form starts from these values once
    ...(props.editing ? formValuesOf(props.editing.profile) : emptyFormValues()),
  })
  const [problems, setProblems] = createSignal<string[]>([])
  const [discoverAlert, setDiscoverAlert] = createSignal<InlineAlert>()
  const [discovered, setDiscovered] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  let firstInput: HTMLDivElement | undefined

  const fieldProps: FieldProps = {
    values,
    set: (field, value) => setValues(field, value),
    invalid: (field) => {
      const label = FIELD_LABELS[field]
      return label !== undefined && problems().some((problem) => problem.startsWith(`${label}:`))
    },
  }

  onMount(() => firstInput?.querySelector<HTMLInputElement>('input:not([readonly])')?.focus())

  const onPreset = (value: string) =>
    setValues(applyPreset({ ...values }, isPresetId(value) ? value : ''))

  const onDiscover = async () => {
    setDiscoverAlert(undefined)
    setDiscovered(undefined)
    setBusy(true)
    const outcome = await session.discoverMetadata(values.issuer)
    setBusy(false)
    if (!outcome.ok) {
      setDiscoverAlert(outcome.alert)
      return
    }
    setValues(withDiscovered({ ...values }, outcome.metadata))
    setDiscovered(`Endpoints filled from the metadata of ${outcome.metadata.issuer}.`)
  }

  const onSave = async (event: SubmitEvent) => {
    // The CSP's form-action 'none' forbids submitting anywhere; the form only runs script.
    event.preventDefault()
    const { input, problems: unreadable } = profileInputOf({ ...values })
    if (unreadable.length > 0) {
      setProblems(unreadable.map(labelProblem))
      return
    }
    setBusy(true)
    const outcome = await session.saveProfile(input, { replace: props.editing !== undefined })
    setBusy(false)
    if (outcome.ok) props.onSaved(outcome.profile)
    else setProblems(outcome.problems)
  }

  return (
    <form
      class="profile-form"
      aria-labelledby="profile-form-heading"
      onSubmit={(e) => void onSave(e)}
    >
      <h3 id="profile-form-heading">Profile</h3>
      <p class="field-hint">
        {props.editing
          ? (SOURCE_NOTE[props.editing.overrides ?? props.editing.source] ?? '')
          : 'A new profile, saved in this browser only (IndexedDB).'}
      </p>

      <fieldset>
        <legend>Identity</legend>
        <div ref={(element) => (firstInput = element)}>
          <TextField
            {...fieldProps}
            field="id"
            readOnly={props.editing !== undefined}
            hint="Lowercase letters, digits and dashes; it keys the tokens, so it stays once saved."
          />
          <TextField {...fieldProps} field="name" hint="Shown in the Provider list." />
        </div>
        <PresetField {...fieldProps} onPreset={onPreset} />
      </fieldset>

      <fieldset>
        <legend>Provider</legend>
        <TextField {...fieldProps} field="issuer" type="url" placeholder="https://id.example.com" />
        <div class="actions">
          <button
            type="button"
            class="secondary"
            disabled={busy()}
            onClick={() => void onDiscover()}
          >
            Discover
          </button>
        </div>
        <Show when={discoverAlert()}>
          {(alert) => (
            <div role="alert" class="alert">
              <p>
                <strong>{alert().code}</strong>: {alert().message}
              </p>
              <p class="hint">{alert().hint}</p>
            </div>
          )}
        </Show>
        <Show when={discovered()}>{(text) => <p class="field-hint">{text()}</p>}</Show>
        <CheckField
          {...fieldProps}
          field="discovery"
          hint="Fetch the metadata from the Issuer at each login; the endpoints below fill the gaps."
        />
        <TextField {...fieldProps} field="authorization_endpoint" type="url" />
        <TextField {...fieldProps} field="token_endpoint" type="url" />
        <TextField
          {...fieldProps}
          field="refresh_endpoint"
          type="url"
          hint="Only when refresh goes elsewhere than the Token endpoint."
        />
        <TextField {...fieldProps} field="revocation_endpoint" type="url" />
        <TextField {...fieldProps} field="userinfo_endpoint" type="url" />
        <TextField {...fieldProps} field="end_session_endpoint" type="url" />
        <TextField {...fieldProps} field="jwks_uri" type="url" />
        <TextAreaField
          {...fieldProps}
          field="verification_keys"
          rows={5}
          hint="PEM public keys (-----BEGIN PUBLIC KEY----- blocks), or JWK JSON: a key, a list or a JWKS."
        />
      </fieldset>

      <fieldset>
        <legend>Client</legend>
        <TextField {...fieldProps} field="client_id" />
        <TextField
          {...fieldProps}
          field="client_secret"
          type="password"
          hint="Leave empty for a public client with PKCE."
        />
        <Show when={values.client_secret.trim() !== ''}>
          <p class="notice" role="note">
            A browser cannot keep a secret: anyone who can open this page, and any script running in
            it, can read the Client secret. Use a secret only with a test client.
          </p>
        </Show>
        <TextField {...fieldProps} field="scope" hint="Space-delimited; may be empty." />
        <TextField
          {...fieldProps}
          field="redirect_uri"
          type="url"
          hint="Empty: this page's own address (origin and path)."
        />
        <CheckField
          {...fieldProps}
          field="pkce"
          hint="Leave on. Off is only allowed with a Client secret."
        />
        <CheckField
          {...fieldProps}
          field="dpop"
          hint="Bind tokens to a key this browser cannot export (RFC 9449): a stolen token is useless without it."
        />
        <CheckField
          {...fieldProps}
          field="par"
          hint="Push the authorization request to the provider first (RFC 9126); on anyway when the provider requires it."
        />
        <TextAreaField
          {...fieldProps}
          field="authorization_params"
          rows={3}
          hint='A JSON object of extra authorization request parameters, such as { "prompt": "consent" }.'
        />
        <TextAreaField
          {...fieldProps}
          field="requests"
          rows={5}
          hint='A JSON list of API requests: [{ "name": "Userinfo", "method": "GET", "url": "https://…" }].'
        />
      </fieldset>

      <Show when={problems().length > 0}>
        <div role="alert" class="alert">
          <p>
            <strong>invalid_profile</strong>: the profile was not saved.
          </p>
          <ul>
            <For each={problems()}>{(problem) => <li>{problem}</li>}</For>
          </ul>
          <p class="hint">Correct the fields named above and press Save again.</p>
        </div>
      </Show>
      <div class="actions">
        <button type="submit" disabled={busy()}>
          Save
        </button>
        <button type="button" class="secondary" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </form>
  )
}
