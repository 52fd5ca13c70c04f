import { For, Suspense } from 'solid-js'
import { dpopBinding } from '../console/dpop-binding'
import type { TokenKind } from '../console/inspect'
import { useSession } from './context'
import { PanelBoundary } from './PanelBoundary'
import { TokenInspector } from './lazy-panels'

/** One region per token held: Access token, ID token, Refresh token. */
export function TokenPanels() {
  const [state] = useSession()
  const tokens = () => {
    const held = state.tokens
    if (held === undefined) return []
    const list: { label: string; kind: TokenKind; value: string }[] = [
      { label: 'Access token', kind: 'access', value: held.access_token },
    ]
    if (held.id_token !== undefined)
      list.push({ label: 'ID token', kind: 'id', value: held.id_token })
    if (held.refresh_token !== undefined)
      list.push({ label: 'Refresh token', kind: 'refresh', value: held.refresh_token })
    return list
  }
  // The inspector loads with the first token (started while the tokens were being read): the
  // regions appear together with their claims, never empty first.
  return (
    <Suspense>
      <For each={tokens()}>
        {(token) => <TokenPanel label={token.label} kind={token.kind} value={token.value} />}
      </For>
    </Suspense>
  )
}

function slug(label: string): string {
  return label.toLowerCase().replace(/\s+/g, '-')
}

function TokenPanel(props: { label: string; kind: TokenKind; value: string }) {
  const [state, session] = useSession()
  const binding = () =>
    props.kind === 'access' ? dpopBinding(state.tokens?.dpop_jkt, props.value) : undefined
  const headingId = () => `${slug(props.label)}-heading`
  return (
    <section class="card token" aria-labelledby={headingId()}>
      <h2 id={headingId()}>{props.label}</h2>
      <PanelBoundary name={props.label}>
        <TokenInspector
          label={props.label}
          token={props.value}
          binding={binding()}
          inspect={(token) => session.inspect(props.kind, token)}
        />
      </PanelBoundary>
    </section>
  )
}
