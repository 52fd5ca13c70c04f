import { Show } from 'solid-js'
import type { ProfileFormValues } from '../console/profiles/form'
import { FIELD_LABELS } from '../core/tools'

type CheckKey = 'discovery' | 'pkce' | 'dpop' | 'par'
type TextKey = Exclude<keyof ProfileFormValues, 'preset' | CheckKey>

/** What every field component needs: the values, a setter and the fields named in problems. */
export interface FieldProps {
  values: ProfileFormValues
  set: <K extends keyof ProfileFormValues>(field: K, value: ProfileFormValues[K]) => void
  invalid: (field: string) => boolean
}

const idOf = (field: string) => `profile-${field.replace(/_/g, '-')}`
const hintId = (field: string) => `${idOf(field)}-hint`

/** A one-line text field labelled with the field's name in words (FIELD_LABELS). */
export function TextField(
  props: FieldProps & {
    field: TextKey
    type?: 'text' | 'url' | 'password'
    hint?: string
    readOnly?: boolean
    placeholder?: string
  },
) {
  return (
    <div class="field">
      <label for={idOf(props.field)}>{FIELD_LABELS[props.field]}</label>
      <input
        id={idOf(props.field)}
        type={props.type ?? 'text'}
        value={props.values[props.field]}
        readOnly={props.readOnly}
        placeholder={props.placeholder}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={props.invalid(props.field) ? 'true' : undefined}
        aria-describedby={props.hint !== undefined ? hintId(props.field) : undefined}
        onInput={(event) => props.set(props.field, event.currentTarget.value)}
      />
      <Show when={props.hint}>
        {(hint) => (
          <p class="field-hint" id={hintId(props.field)}>
            {hint()}
          </p>
        )}
      </Show>
    </div>
  )
}

/** A multi-line field for JSON or PEM text. */
export function TextAreaField(props: FieldProps & { field: TextKey; hint: string; rows?: number }) {
  return (
    <div class="field">
      <label for={idOf(props.field)}>{FIELD_LABELS[props.field]}</label>
      <textarea
        id={idOf(props.field)}
        rows={props.rows ?? 4}
        value={props.values[props.field]}
        spellcheck={false}
        aria-invalid={props.invalid(props.field) ? 'true' : undefined}
        aria-describedby={hintId(props.field)}
        onInput={(event) => props.set(props.field, event.currentTarget.value)}
      />
      <p class="field-hint" id={hintId(props.field)}>
        {props.hint}
      </p>
    </div>
  )
}

/** A checkbox with its label to the right, as on every platform. */
export function CheckField(props: FieldProps & { field: CheckKey; hint: string }) {
  return (
    <div class="field check">
      <input
        id={idOf(props.field)}
        type="checkbox"
        checked={props.values[props.field]}
        aria-invalid={props.invalid(props.field) ? 'true' : undefined}
        aria-describedby={hintId(props.field)}
        onChange={(event) => props.set(props.field, event.currentTarget.checked)}
      />
      <label for={idOf(props.field)}>{FIELD_LABELS[props.field]}</label>
      <p class="field-hint" id={hintId(props.field)}>
        {props.hint}
      </p>
    </div>
  )
}

/** The `Preset` select: none, or one of the built-in presets. */
export function PresetField(props: FieldProps & { onPreset: (preset: string) => void }) {
  return (
    <div class="field">
      <label for={idOf('preset')}>{FIELD_LABELS.preset}</label>
      <select
        id={idOf('preset')}
        value={props.values.preset === '' ? 'none' : props.values.preset}
        aria-describedby={hintId('preset')}
        aria-invalid={props.invalid('preset') ? 'true' : undefined}
        onChange={(event) => props.onPreset(event.currentTarget.value)}
      >
        <option value="none">None</option>
        <option value="nexus-mods">Nexus Mods</option>
        <option value="mynickname">MyNickname</option>
      </select>
      <p class="field-hint" id={hintId('preset')}>
        Choosing a preset fills the empty fields with its values; fields left empty take them on
        save.
      </p>
    </div>
  )
}
