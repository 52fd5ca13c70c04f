import { createSignal, For, type JSX, onCleanup, Show, Suspense } from 'solid-js'
import type { LifetimeLog, LifetimeRecorder } from '../console/lifetimes'
import type { Session } from '../console/session'
import { Alerts } from './Alerts'
import { SessionProvider, useSession } from './context'
import { ApiConsole, Decoder, Timeline, TokenLifetimes, TokenPanels } from './lazy-panels'
import { PanelBoundary } from './PanelBoundary'
import { PanelPlaceholder } from './PanelPlaceholder'
import { ProfileManager } from './ProfileManager'
// Rendered with the page (a region appearing later shifts everything below it on a phone);
// its checks load only when Audit provider is pressed.
import { ProviderAudit } from './ProviderAudit'
import { ProviderPicker } from './ProviderPicker'
import { SessionPanel } from './SessionPanel'

/** The whole app: picker, session, alerts, tokens, lifetimes, API, timeline, decoder. */
export function App(props: { session: Session }) {
  // eslint-disable-next-line solid/reactivity -- the session object is fixed for the app's life
  const session = props.session
  const [lifetimes, setLifetimes] = createSignal<LifetimeLog>({ rows: [], signOuts: [] })
  // The recorder loads with the first token a signed-out page never has; it records the tokens
  // shown when it starts, so the first tokens of this tab are in its log.
  let recorder: LifetimeRecorder | undefined
  let disposed = false
  const startRecorder = () => {
    void import('../console/lifetimes').then(({ createLifetimeRecorder }) => {
      if (disposed || recorder !== undefined) return
      recorder = createLifetimeRecorder(session, () => Date.now(), { fromShownTokens: true })
      setLifetimes(recorder.log())
      recorder.subscribe(setLifetimes)
    })
  }
  const waitForTokens = session.subscribe((state) => {
    if (state.tokens === undefined) return
    waitForTokens()
    startRecorder()
  })
  if (session.getState().tokens !== undefined) {
    waitForTokens()
    startRecorder()
  }
  onCleanup(() => {
    disposed = true
    waitForTokens()
    recorder?.dispose()
  })
  return (
    <SessionProvider session={session}>
      <Layout lifetimes={lifetimes()} />
    </SessionProvider>
  )
}

/**
 * Three columns in reading order: the session (provider, status, profiles, lifetimes), the
 * tokens, then what is done with them (API console, timeline, decoder). styles.css stacks them on
 * a phone and sets them side by side from 1200 px; either way the DOM order is the visual and
 * the keyboard order. A new panel goes into the column it belongs to.
 */
function Layout(props: { lifetimes: LifetimeLog }) {
  const [state] = useSession()
  return (
    <>
      <header class="top">
        <h1>PKCE Console</h1>
        <p class="tagline">OAuth 2.0 / OpenID Connect public client and token inspector</p>
      </header>
      <main class="console">
        <div class="area-notices">
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
        </div>
        <div class="column column-session">
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
          <PanelBoundary name="Provider audit">
            <ProviderAudit />
          </PanelBoundary>
          <Show when={props.lifetimes.rows.length > 0}>
            <PanelBoundary name="Token lifetimes">
              <TokenLifetimes log={props.lifetimes} />
            </PanelBoundary>
          </Show>
        </div>
        <div class="column column-tokens">
          <Show when={state.tokens !== undefined}>
            <TokenPanels />
          </Show>
        </div>
        <div class="column column-api">
          <LaterPanel name="API" kind="api">
            <ApiConsole />
          </LaterPanel>
          <LaterPanel name="Timeline" kind="timeline">
            <Timeline />
          </LaterPanel>
          <LaterPanel name="Decoder" kind="decoder">
            <Decoder />
          </LaterPanel>
        </div>
      </main>
    </>
  )
}

/**
 * A panel whose code loads on first render, behind a placeholder of the same region and name. On
 * a callback page it waits until start-up is over: its chunks would compete with the exchange's,
 * and the claims come first.
 */
function LaterPanel(props: { name: string; kind: string; children: JSX.Element }) {
  const [state] = useSession()
  const placeholder = () => <PanelPlaceholder name={props.name} kind={props.kind} />
  return (
    <PanelBoundary name={props.name}>
      <Suspense fallback={placeholder()}>
        <Show when={!state.completingCallback} fallback={placeholder()}>
          {props.children}
        </Show>
      </Suspense>
    </PanelBoundary>
  )
}
