import { createMemo, createResource, For, Show } from 'solid-js'
import type { DpopBinding } from '../console/dpop-binding'
import type { Inspection } from '../console/inspect'
import { claimRows, claimText, timeForms } from '../console/claims/claims'
import { decodeJwt, isRefusal, signatureLine, type VerifyResult } from '../core/tools'
import { RawToken } from './RawToken'

/**
 * Everything shown about one token: the signature line, claim warnings, the claims table with
 * descriptions and times, and the raw token. All token content renders as text.
 */
export function TokenInspector(props: {
  label: string
  token: string
  inspect: (token: string) => Promise<Inspection>
  /** Offer a copy button (not in the Decoder, where the token was pasted). */
  copyable?: boolean
  /** The DPoP key the session holds, checked against the token's `cnf.jkt`. */
  binding?: DpopBinding | undefined
}) {
  const decoded = createMemo(() => decodeJwt(props.token))
  const jwt = () => {
    const d = decoded()
    return d.ok ? d : undefined
  }
  const problem = () => {
    const d = decoded()
    return d.ok ? undefined : d.error
  }
  const [inspection] = createResource(
    () => props.token,
    (token) => props.inspect(token),
  )
  const done = () => (inspection.loading ? undefined : inspection())

  return (
    <div class="inspector">
      <Show when={done()} fallback={<p class="hint">Checking the signature…</p>}>
        {(found) => <SignatureLine result={found().signature} />}
      </Show>
      <Show when={props.binding}>
        {(binding) => (
          <p class="dpop-binding" classList={{ refused: binding().matches === false }}>
            {binding().text}
          </p>
        )}
      </Show>
      <Show when={problem()}>
        {(error) => (
          <p>
            {error().code === 'not_a_jws'
              ? 'Opaque token: not a JWT, so it has no claims to show.'
              : `Not a readable JWT: ${error().message}.`}
          </p>
        )}
      </Show>
      <Show when={jwt()}>
        {(token) => (
          <>
            <Show when={(done()?.warnings.length ?? 0) > 0}>
              <ul class="warnings" aria-label={`${props.label} warnings`}>
                <For each={done()?.warnings}>{(warning) => <li>{warning.message}</li>}</For>
              </ul>
            </Show>
            <p class="hint">
              Claims decoded from the token: trust them only as far as the signature line says.
            </p>
            <ClaimsTable label={props.label} claims={token().payload} />
          </>
        )}
      </Show>
      <RawToken
        label={props.label}
        token={props.token}
        jwt={jwt()}
        copyable={props.copyable ?? true}
      />
    </div>
  )
}

function SignatureLine(props: { result: VerifyResult }) {
  return (
    <>
      <p
        class={`signature ${props.result.status}`}
        classList={{ refused: isRefusal(props.result) }}
      >
        {signatureLine(props.result)}
      </p>
      <Show when={props.result.notes.length > 0}>
        <ul class="notes hint">
          <For each={props.result.notes}>{(note) => <li>{note}</li>}</For>
        </ul>
      </Show>
    </>
  )
}

function ClaimsTable(props: { label: string; claims: Record<string, unknown> }) {
  const now = Date.now()
  return (
    <table class="claims">
      <caption>{props.label} claims</caption>
      <thead>
        <tr>
          <th scope="col">Claim</th>
          <th scope="col">Value</th>
          <th scope="col">Meaning</th>
        </tr>
      </thead>
      <tbody>
        <For each={claimRows(props.claims)}>
          {(row) => (
            <tr>
              <th scope="row">{row.name}</th>
              <td>
                <Show when={row.link} fallback={<span class="value">{claimText(row.value)}</span>}>
                  {(href) => (
                    <a href={href()} rel="noopener noreferrer" target="_blank">
                      {claimText(row.value)}
                    </a>
                  )}
                </Show>
                <Show when={row.note}>{(note) => <span class="time"> ({note()})</span>}</Show>
                <Show when={row.time}>
                  {(time) => {
                    const forms = timeForms(time(), now)
                    return (
                      <span class="time">
                        {' '}
                        <time datetime={forms.iso}>{forms.local}</time> · {forms.iso} ·{' '}
                        {forms.relative}
                      </span>
                    )
                  }}
                </Show>
              </td>
              <td class="meaning">{row.description ?? ''}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}
