import { createSignal, Show, Suspense } from 'solid-js'
import { useSession } from './context'
import { PanelBoundary } from './PanelBoundary'
import { TokenInspector } from './lazy-panels'

/**
 * Decodes any pasted JWT, logged in or not. What is pasted stays in this component: never in the
 * URL or storage; the only request is the JWKS fetch when the key is a URL.
 */
export function Decoder() {
  const [, session] = useSession()
  const [input, setInput] = createSignal<{ token: string; key: string }>()
  const [tokenText, setTokenText] = createSignal('')
  const [keyText, setKeyText] = createSignal('')
  const decode = (event: SubmitEvent) => {
    event.preventDefault()
    setInput({ token: tokenText().trim(), key: keyText() })
  }
  // autocomplete="off" keeps the browser from restoring a pasted token after navigation;
  // spellcheck="false" keeps it away from any spelling service.
  return (
    <section class="card decoder" aria-labelledby="decoder-heading">
      <h2 id="decoder-heading">Decoder</h2>
      <p class="hint">
        Paste any JWT to read its claims and check its signature. Nothing you paste is stored or
        sent anywhere, except that a JWKS URL given as the key is fetched.
      </p>
      <form class="decoder-form" onSubmit={decode}>
        <div class="field">
          <label for="decoder-token">Token</label>
          <textarea
            id="decoder-token"
            onInput={(event) => setTokenText(event.currentTarget.value)}
            rows="4"
            autocomplete="off"
            spellcheck={false}
            autocapitalize="off"
          />
        </div>
        <div class="field">
          <label for="decoder-key">Key</label>
          <textarea
            id="decoder-key"
            onInput={(event) => setKeyText(event.currentTarget.value)}
            rows="3"
            aria-describedby="decoder-key-hint"
            autocomplete="off"
            spellcheck={false}
            autocapitalize="off"
          />
          <p id="decoder-key-hint" class="hint">
            Optional: a PEM public key, a JWK, a JWKS (JSON), or the URL of a JWKS.
          </p>
        </div>
        <div class="actions">
          <button type="submit">Decode</button>
        </div>
      </form>
      <Show when={input()} keyed>
        {(pasted) => (
          <Show when={pasted.token !== ''} fallback={<p class="hint">Paste a token first.</p>}>
            <PanelBoundary name="Decoded token">
              {/* Its own boundary: the form above stays while the inspector's code loads. */}
              <Suspense fallback={<p class="hint">Decoding…</p>}>
                <TokenInspector
                  label="Decoded token"
                  token={pasted.token}
                  copyable={false}
                  inspect={(token) => session.inspectPasted(token, pasted.key)}
                />
              </Suspense>
            </PanelBoundary>
          </Show>
        )}
      </Show>
    </section>
  )
}
