/**
 * Stands in for a panel whose code is still loading: the same region, heading and about the same
 * height, so nothing below it moves when the panel arrives.
 */
export function PanelPlaceholder(props: { name: string; kind: string }) {
  return (
    <section class={`card ${props.kind} placeholder`} aria-labelledby={`${props.kind}-heading`}>
      <h2 id={`${props.kind}-heading`}>{props.name}</h2>
      <p class="hint">Loading…</p>
    </section>
  )
}
