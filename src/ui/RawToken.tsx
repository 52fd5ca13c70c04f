import { createSignal, Show } from 'solid-js'
import type { DecodedJwt } from '../core/tools'

/** "Access token" → "access token"; acronyms such as "ID token" stay as they are. */
function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label
}

/**
 * A token's raw form, collapsed by default because it is a secret: the three segments in colour
 * and with labels, the header and payload pretty-printed, and a copy button.
 */
export function RawToken(props: {
  label: string
  token: string
  jwt: DecodedJwt | undefined
  /** False where the user already has the token (the Decoder). */
  copyable: boolean
}) {
  const [copied, setCopied] = createSignal('')
  const copy = () => {
    navigator.clipboard.writeText(props.token).then(
      () => setCopied('Copied.'),
      () => setCopied('Not copied: the browser refused access to the clipboard.'),
    )
  }
  return (
    <div class="raw">
      <Show when={props.copyable}>
        <div class="actions">
          <button type="button" class="secondary" onClick={copy}>
            Copy {lowerFirst(props.label)}
          </button>
          <span class="hint" aria-live="polite">
            {copied()}
          </span>
        </div>
      </Show>
      <details>
        <summary>Raw token</summary>
        <Show when={props.jwt} fallback={<code class="token-raw">{props.token}</code>}>
          {(jwt) => (
            <>
              <code class="token-raw">
                <span class="seg-header">{jwt().segments[0]}</span>.
                <span class="seg-payload">{jwt().segments[1]}</span>.
                <span class="seg-signature">{jwt().segments[2]}</span>
              </code>
              <dl class="segments">
                <dt class="seg-header">Header (part 1)</dt>
                <dd>
                  <pre>{JSON.stringify(jwt().header, null, 2)}</pre>
                </dd>
                <dt class="seg-payload">Payload (part 2)</dt>
                <dd>
                  <pre>{JSON.stringify(jwt().payload, null, 2)}</pre>
                </dd>
                <dt class="seg-signature">Signature (part 3)</dt>
                <dd>
                  <code>{jwt().segments[2] || '(empty)'}</code>
                </dd>
              </dl>
            </>
          )}
        </Show>
      </details>
    </div>
  )
}
