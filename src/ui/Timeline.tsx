import { createSignal, For, Show } from 'solid-js'
import { toCurl } from '../console/timeline'
import { maskHeader, maskUrl, type TimelineEntry } from '../core/tools'
import { useSession } from './context'

/** Each protocol step of the session, masked by default, each HTTP step copyable as curl. */
export function Timeline() {
  const [state] = useSession()
  const [reveal, setReveal] = createSignal(false)
  return (
    <section class="card timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={reveal()}
          onChange={(e) => setReveal(e.currentTarget.checked)}
        />{' '}
        Reveal secrets
      </label>
      <Show
        when={state.timeline.length > 0}
        fallback={<p class="hint">No protocol steps yet in this tab.</p>}
      >
        <ol>
          <For each={[...state.timeline].reverse()}>
            {(entry) => <Step entry={entry} reveal={reveal()} />}
          </For>
        </ol>
      </Show>
    </section>
  )
}

function Step(props: { entry: TimelineEntry; reveal: boolean }) {
  const [copied, setCopied] = createSignal(false)
  const copy = async () => {
    await navigator.clipboard.writeText(toCurl(props.entry, props.reveal))
    setCopied(true)
  }
  return (
    <li>
      <time datetime={new Date(props.entry.at).toISOString()}>
        {new Date(props.entry.at).toLocaleTimeString()}
      </time>{' '}
      <strong>{props.entry.step}</strong>{' '}
      <Show when={props.entry.url}>
        {(url) => (
          <code>
            {props.entry.method} {props.reveal ? url() : maskUrl(url())}
          </code>
        )}
      </Show>{' '}
      <Show when={props.entry.status}>
        {(status) => <span class="step-status">→ {status()}</span>}
      </Show>
      <Show when={props.entry.durationMs !== undefined}>
        <span class="hint"> ({Math.round(props.entry.durationMs ?? 0)} ms)</span>
      </Show>
      <Show when={props.entry.note}>{(note) => <span class="hint"> {note()}</span>}</Show>
      <Show when={props.entry.url !== undefined && props.entry.status !== undefined}>
        <details>
          <summary>Request</summary>
          <pre>
            {(props.entry.requestHeaders ?? [])
              .map(([name, value]) => `${name}: ${props.reveal ? value : maskHeader(name, value)}`)
              .join('\n')}
          </pre>
          <pre>{toCurl(props.entry, props.reveal)}</pre>
          <button type="button" class="quiet" onClick={() => void copy()}>
            {copied() ? 'Copied' : 'Copy as curl'}
          </button>
        </details>
      </Show>
    </li>
  )
}
