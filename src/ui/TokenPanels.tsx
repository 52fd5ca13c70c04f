import { For, Show } from 'solid-js'
import { claimRows, claimText, relativeTime } from '../tokens/claims'
import { decodeJwt } from '../tokens/decode'
import { useSession } from './context'

/** One region per token held: Access token, ID token, Refresh token. */
export function TokenPanels() {
  const [state] = useSession()
  const tokens = () => {
    const held = state.tokens
    if (held === undefined) return []
    const list: { label: string; value: string }[] = [
      { label: 'Access token', value: held.access_token },
    ]
    if (held.id_token !== undefined) list.push({ label: 'ID token', value: held.id_token })
    if (held.refresh_token !== undefined)
      list.push({ label: 'Refresh token', value: held.refresh_token })
    return list
  }
  return (
    <For each={tokens()}>{(token) => <TokenPanel label={token.label} value={token.value} />}</For>
  )
}

function slug(label: string): string {
  return label.toLowerCase().replace(/\s+/g, '-')
}

function TokenPanel(props: { label: string; value: string }) {
  const decoded = () => decodeJwt(props.value)
  const headingId = () => `${slug(props.label)}-heading`
  return (
    <section class="card token" aria-labelledby={headingId()}>
      <h2 id={headingId()}>{props.label}</h2>
      <Show
        when={(() => {
          const d = decoded()
          return d.ok ? d : undefined
        })()}
        fallback={
          <>
            <p>Opaque token: not a JWT, so it has no claims to show.</p>
            <p class="signature">Signature not checked: opaque token</p>
          </>
        }
      >
        {(jwt) => (
          <>
            <p class="signature">Signature not checked: verification is not available yet</p>
            <table class="claims">
              <caption>{props.label} claims</caption>
              <thead>
                <tr>
                  <th scope="col">Claim</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                <For each={claimRows(jwt().payload)}>
                  {(row) => (
                    <tr>
                      <th scope="row" title={row.description}>
                        {row.name}
                      </th>
                      <td>
                        <span class="value">{claimText(row.value)}</span>
                        <Show when={row.time}>
                          {(time) => (
                            <span class="time">
                              {' '}
                              <time datetime={new Date(time() * 1000).toISOString()}>
                                {new Date(time() * 1000).toLocaleString()}
                              </time>{' '}
                              ({relativeTime(time() * 1000, Date.now())})
                            </span>
                          )}
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <details>
              <summary>Header</summary>
              <pre>{JSON.stringify(jwt().header, null, 2)}</pre>
            </details>
          </>
        )}
      </Show>
    </section>
  )
}
