import { createEffect, createSignal, lazy, on, Show } from 'solid-js'
import type { AuditReport } from '../console/audit/finding'
import type { ShownReport } from './AuditFindings'
import { useSession } from './context'
import './audit.css'

/** The findings list: loaded with the first report, like the checks that make it. */
const AuditFindings = lazy(() =>
  import('./AuditFindings').then((m) => ({ default: m.AuditFindings })),
)

/** The report's text forms load with the report: the start page renders only the region. */
const reportText = () =>
  Promise.all([import('../console/audit/markdown'), import('../console/audit/copy')]).then(
    ([markdown, copy]) => ({ ...markdown, ...copy }),
  )

/**
 * The provider audit: checks the selected provider's metadata, keys and CORS, and what this tab's
 * session observed; each finding begins with Pass, Warning or Fail and cites its section.
 * Loaded lazily (App.tsx), like the checks it runs.
 */
export function ProviderAudit() {
  const [state, session] = useSession()
  const [shown, setShown] = createSignal<ShownReport>()
  const report = () => shown()?.report
  const [busy, setBusy] = createSignal(false)
  const [failure, setFailure] = createSignal<string>()
  const [copyNote, setCopyNote] = createSignal('')
  const [manualCopy, setManualCopy] = createSignal<string>()

  // A report is about one provider: another selection makes it stale.
  createEffect(
    on(
      () => state.selectedId,
      () => {
        setShown(undefined)
        setManualCopy(undefined)
        setCopyNote('')
      },
      { defer: true },
    ),
  )

  const run = async () => {
    setBusy(true)
    setShown(undefined)
    setFailure(undefined)
    setCopyNote('')
    setManualCopy(undefined)
    try {
      // The list's code too, so the report appears whole.
      const [next, text] = await Promise.all([
        session.audit(),
        reportText(),
        AuditFindings.preload(),
      ])
      setShown(next && { report: next, counts: text.levelCounts(next) })
    } catch (cause) {
      setFailure(cause instanceof Error ? cause.message : String(cause))
    } finally {
      setBusy(false)
    }
  }

  const copy = async (current: AuditReport) => {
    const { auditMarkdown, copyText } = await reportText()
    const markdown = auditMarkdown(current)
    // navigator.clipboard is missing outside secure contexts; writeText may be refused.
    const clipboard = 'clipboard' in navigator ? navigator.clipboard : undefined
    if (await copyText(markdown, clipboard)) {
      setManualCopy(undefined)
      setCopyNote('Copied the audit as Markdown.')
    } else {
      setManualCopy(markdown)
      setCopyNote(
        'This browser did not let the page copy; the Markdown is selected below to copy by hand.',
      )
    }
  }

  return (
    <section class="card audit" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Provider audit</h2>
      <p class="hint">
        Reads the selected provider's metadata and keys, asks its userinfo endpoint without a token
        whether this page may read its answers (CORS), and adds what this tab's session has seen. It
        sends nothing that could change the provider's state.
      </p>
      <div class="actions">
        <button
          type="button"
          onClick={() => void run()}
          disabled={busy() || state.selectedId === undefined}
        >
          Audit provider
        </button>
        <button
          type="button"
          class="secondary"
          disabled={report() === undefined}
          onClick={() => {
            const current = report()
            if (current !== undefined) void copy(current)
          }}
        >
          Copy audit as Markdown
        </button>
      </div>
      <Show when={busy()}>
        <p class="hint">Auditing…</p>
      </Show>
      <Show when={failure()}>
        {(message) => (
          <div role="alert" class="alert">
            <p>
              <strong>audit_failed</strong>: the audit could not finish: {message()}
            </p>
            <p class="hint">Press Audit provider to try again.</p>
          </div>
        )}
      </Show>
      <Show when={shown()}>{(current) => <AuditFindings {...current()} />}</Show>
      <p class="hint" aria-live="polite">
        {copyNote()}
      </p>
      <Show when={manualCopy()}>
        {(markdown) => (
          <textarea
            class="audit-markdown"
            aria-label="Audit as Markdown"
            readonly
            rows={8}
            value={markdown()}
            ref={(element) => queueMicrotask(() => element.select())}
          />
        )}
      </Show>
    </section>
  )
}
