import { createEffect, createSignal, For, on, Show } from 'solid-js'
import type { RequestPreset } from '../core/tools'
import { useSession } from './context'

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

/** "Name: value" lines → header pairs; blank and malformed lines are skipped. */
function parseHeaders(text: string): [string, string][] {
  const pairs: [string, string][] = []
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  return pairs
}

function prettyBody(body: string, json: unknown): string {
  return json === undefined ? body : JSON.stringify(json, null, 2)
}

/** The API console: request presets, method, URL, headers, body; Send goes through the token getter. */
export function ApiConsole() {
  const [state, session] = useSession()
  const profile = () =>
    state.profiles.find((entry) => entry.profile.id === state.selectedId)?.profile
  const presets = (): RequestPreset[] => profile()?.requests ?? []
  const [preset, setPreset] = createSignal('')
  const [method, setMethod] = createSignal('GET')
  const [url, setUrl] = createSignal('')
  const [headers, setHeaders] = createSignal('')
  const [body, setBody] = createSignal('')

  const apply = (name: string) => {
    setPreset(name)
    const chosen = presets().find((entry) => entry.name === name)
    if (chosen === undefined) return
    setMethod(chosen.method.toUpperCase())
    setUrl(chosen.url)
    setHeaders(
      Object.entries(chosen.headers ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    )
    setBody(chosen.body ?? '')
  }
  // A new profile brings its own presets: start from its first one.
  createEffect(
    on(
      () => state.selectedId,
      () => apply(presets()[0]?.name ?? ''),
    ),
  )

  const send = (event: SubmitEvent) => {
    event.preventDefault()
    void session.send({
      method: method(),
      url: url(),
      headers: parseHeaders(headers()),
      ...(body() !== '' ? { body: body() } : {}),
    })
  }

  return (
    <section class="card api" aria-labelledby="api-heading">
      <h2 id="api-heading">API</h2>
      <form onSubmit={send} aria-label="API request">
        <div class="field">
          <label for="api-request">Request</label>
          <select id="api-request" value={preset()} onChange={(e) => apply(e.currentTarget.value)}>
            <For each={presets()}>
              {(entry) => <option value={entry.name}>{entry.name}</option>}
            </For>
          </select>
        </div>
        <div class="row">
          <div class="field method">
            <label for="api-method">Method</label>
            <select
              id="api-method"
              value={method()}
              onChange={(e) => setMethod(e.currentTarget.value)}
            >
              <For each={METHODS}>{(name) => <option value={name}>{name}</option>}</For>
            </select>
          </div>
          <div class="field grow">
            <label for="api-url">URL</label>
            <input
              id="api-url"
              type="url"
              value={url()}
              onInput={(e) => setUrl(e.currentTarget.value)}
              required
            />
          </div>
        </div>
        <div class="field">
          <label for="api-headers">Headers</label>
          <textarea
            id="api-headers"
            rows="2"
            placeholder="Accept: application/json"
            value={headers()}
            onInput={(e) => setHeaders(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="api-body">Body</label>
          <textarea
            id="api-body"
            rows="3"
            value={body()}
            onInput={(e) => setBody(e.currentTarget.value)}
          />
        </div>
        <p class="hint">
          The access token is added as <code>Authorization: Bearer</code>, refreshed first when it
          is near expiry.
        </p>
        <button type="submit" disabled={state.tokens === undefined}>
          Send
        </button>
      </form>
      <Show when={state.api.pending}>
        {(pending) => (
          <div role="group" aria-label="Confirm token destination" class="notice">
            <p>
              <strong>{pending().origin}</strong> is not one of this profile's endpoints. Sending
              the request there hands it your access token.
            </p>
            <div class="actions">
              <button type="button" onClick={() => void session.confirmSend()}>
                Send token to {pending().origin}
              </button>
              <button type="button" class="secondary" onClick={() => session.cancelSend()}>
                Don't send
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={state.api.response}>
        {(response) => (
          <div class="response">
            <p>
              <span class="label">Status </span>
              <span role="group" aria-label="Response status" class="status-code">
                {response().redirect
                  ? response().statusText
                  : `${String(response().status)} ${response().statusText}`.trim()}
              </span>{' '}
              <span class="hint">
                in {Math.round(response().durationMs)} ms
                {response().retried ? ', after one refresh and retry (401)' : ''}
              </span>
            </p>
            <details>
              <summary>Response headers</summary>
              <table aria-label="Response headers">
                <tbody>
                  <For each={response().headers}>
                    {([name, value]) => (
                      <tr>
                        <th scope="row">{name}</th>
                        <td>{value}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </details>
            <section aria-label="Response body">
              <pre>{prettyBody(response().body, response().json)}</pre>
            </section>
          </div>
        )}
      </Show>
    </section>
  )
}
