import { For } from 'solid-js'
import type { AuditReport } from '../console/audit/finding'

/** A report and its counts line ("3 Pass, 1 Warning"). */
export interface ShownReport {
  report: AuditReport
  counts: string
}

/** What the audit found: who and when, the counts, then one line per finding with its source. */
export function AuditFindings(props: ShownReport) {
  return (
    <>
      <p>
        {props.report.profileName} ({props.report.server}), audited at{' '}
        {new Date(props.report.at).toLocaleTimeString()}: {props.counts}.
      </p>
      <ul class="audit-findings" aria-label="Audit findings">
        <For each={props.report.findings}>
          {(item) => (
            <li class={`finding ${item.pending ? 'pending' : item.level.toLowerCase()}`}>
              <strong>{item.level}</strong>: {item.checked} {item.advice} <cite>({item.cite})</cite>
            </li>
          )}
        </For>
      </ul>
    </>
  )
}
