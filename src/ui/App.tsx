import { For, lazy, Show } from 'solid-js'
import type { Session } from '../console/session'
import { Alerts } from './Alerts'
import { ApiConsole } from './ApiConsole'
import { SessionProvider, useSession } from './context'
import { PanelBoundary } from './PanelBoundary'
import { ProfileManager } from './ProfileManager'
import { Decoder } from './Decoder'
import { ProviderPicker } from './ProviderPicker'
import { SessionPanel } from './SessionPanel'
import { Timeline } from './Timeline'
import { TokenPanels } from './TokenPanels'

// The audit and its checks load after the start page: most visits never run it.
const ProviderAudit = lazy(() =>
  import('./ProviderAudit').then((m) => ({ default: m.ProviderAudit })),
)

/** The whole app: picker, session, alerts, tokens, decoder. */
export function App(props: { session: Session }) {
  return (
    <SessionProvider session={props.session}>
      <Layout />
    </SessionProvider>
  )
}

function Layout() {
  const [state] = useSession()
  return (
    <>
      <header class="top">
        <h1>PKCE Console</h1>
        <p class="tagline">OAuth 2.0 / OpenID Connect public client and token inspector</p>
      </header>
      <main>
        <PanelBoundary name="Alerts">
          <Alerts />
        </PanelBoundary>
        <Show when={state.storageProblem}>
          {(problem) => (
            <p class="notice" role="note">
              Tokens are kept in memory only, because IndexedDB is unavailable ({problem()}). They
              are lost when this tab closes.
            </p>
          )}
        </Show>
        <Show when={state.warnings.length > 0}>
          <ul class="notice" aria-label="Profile warnings">
            <For each={state.warnings}>{(warning) => <li>{warning}</li>}</For>
          </ul>
        </Show>
        <section class="card" aria-labelledby="session-heading">
          <h2 id="session-heading">Session</h2>
          <PanelBoundary name="Provider">
            <ProviderPicker />
          </PanelBoundary>
          <PanelBoundary name="Session">
            <SessionPanel />
          </PanelBoundary>
        </section>
        <PanelBoundary name="Profiles">
          <ProfileManager />
        </PanelBoundary>
        <TokenPanels />
        <PanelBoundary name="API">
          <ApiConsole />
        </PanelBoundary>
        <PanelBoundary name="Timeline">
          <Timeline />
        </PanelBoundary>
        <PanelBoundary name="Provider audit">
          <ProviderAudit />
        </PanelBoundary>
        <PanelBoundary name="Decoder">
          <Decoder />
        </PanelBoundary>
      </main>
    </>
  )
}
