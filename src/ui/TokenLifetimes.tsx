import {
  createEffect,
  createMemo,
  createSignal,
  For,
  Index,
  on,
  onCleanup,
  onMount,
  Show,
  type Accessor,
} from 'solid-js'
import type { LifetimeLog } from '../console/lifetimes'
import { layoutChart, type Lane } from '../console/lifetimes-chart'
import { describeLifetimes, KIND_NAMES, lifetimeTable, tickLabel } from '../console/lifetimes-text'

/**
 * The page's clock for the chart: once a second while the page is visible, not at all while it
 * is hidden (nothing to see, and background timers only waste the battery).
 */
export function createVisibleClock(intervalMs = 1000): [Accessor<number>, () => void] {
  const [now, setNow] = createSignal(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  const stop = () => {
    clearInterval(timer)
    timer = undefined
  }
  const start = () => {
    setNow(Date.now())
    timer ??= setInterval(() => setNow(Date.now()), intervalMs)
  }
  const onVisibility = () => (document.visibilityState === 'hidden' ? stop() : start())
  if (document.visibilityState !== 'hidden') start()
  document.addEventListener('visibilitychange', onVisibility)
  onCleanup(() => {
    stop()
    document.removeEventListener('visibilitychange', onVisibility)
  })
  return [now, () => setNow(Date.now())]
}

/** A date as the table shows it: the time, with the date too when it is not today's. */
function shortTime(at: number, now: number): string {
  const date = new Date(at)
  return date.toDateString() === new Date(now).toDateString()
    ? date.toLocaleTimeString()
    : date.toLocaleString()
}

function Rule(props: { class: string; x: number; top: number; bottom: number }) {
  return <line class={props.class} x1={props.x} x2={props.x} y1={props.top} y2={props.bottom} />
}

function Bar(props: { lane: Lane }) {
  const top = () => props.lane.y - 6
  return (
    <Show
      when={!props.lane.unknown}
      fallback={
        <circle
          class={`lt-dot kind-${props.lane.kind}`}
          cx={props.lane.x1}
          cy={props.lane.y}
          r="5"
        />
      }
    >
      <rect
        class={`lt-bar kind-${props.lane.kind}`}
        x={props.lane.x1}
        y={top()}
        width={Math.max(2, (props.lane.replacedX ?? props.lane.x2) - props.lane.x1)}
        height="12"
        rx="2"
      />
      <Show when={props.lane.replacedX}>
        {(from) => (
          <rect
            class={`lt-bar replaced kind-${props.lane.kind}`}
            x={from()}
            y={top()}
            width={Math.max(0, props.lane.x2 - from())}
            height="12"
          />
        )}
      </Show>
      <Show when={props.lane.clipped}>
        <path
          class={`lt-bar kind-${props.lane.kind}`}
          d={`M${props.lane.x2} ${top() - 3}l9 9l-9 9z`}
        />
      </Show>
    </Show>
  )
}

/**
 * The figure `Token lifetimes`: every token of this tab's session on one time axis (a picture
 * with a text alternative), a legend, and the table `Token lifetimes data` with the same facts.
 */
export function TokenLifetimes(props: { log: LifetimeLog }) {
  const [now, touch] = createVisibleClock()
  // New tokens move "now" at once, not at the next tick, so a fresh bar never starts after it.
  createEffect(on(() => props.log, touch, { defer: true }))
  const [width, setWidth] = createSignal(0)
  // Drawn at its box's own width, so labels keep their size instead of shrinking on a phone.
  const measure = (box: HTMLDivElement) => {
    onMount(() => setWidth(box.clientWidth))
    const observer = new ResizeObserver(() => setWidth(box.clientWidth))
    observer.observe(box)
    onCleanup(() => observer.disconnect())
  }
  const offset = () => -new Date(now()).getTimezoneOffset() * 60_000
  const chart = createMemo(() => layoutChart(props.log, now(), width(), offset()))
  /** The kinds drawn, for the legend: a refresh token of unknown expiry has no bar. */
  const kinds = createMemo(() => [...new Set(chart().lanes.map((lane) => lane.kind))], undefined, {
    equals: (a, b) => a.join() === b.join(),
  })
  const summary = () => describeLifetimes(props.log, now(), chart().hidden)
  const anchor = (x: number) =>
    x > chart().plot.right - 16 ? 'end' : x < chart().plot.left + 16 ? 'start' : 'middle'

  return (
    <figure class="card lifetimes" aria-labelledby="lifetimes-heading">
      <figcaption>
        <h2 id="lifetimes-heading">Token lifetimes</h2>
      </figcaption>
      <div class="lt-body">
        <div class="lt-chart" ref={measure}>
          <svg
            role="img"
            aria-label={summary()}
            viewBox={`0 0 ${chart().width} ${chart().height}`}
            preserveAspectRatio="xMinYMin meet"
          >
            {/* Index, not For: the geometry is new every second, the nodes need not be. */}
            <Index each={chart().ticks}>
              {(tick) => (
                <g class="lt-tick">
                  <line
                    x1={tick().x}
                    x2={tick().x}
                    y1={chart().plot.top}
                    y2={chart().plot.bottom}
                  />
                  <text x={tick().x} y={chart().plot.bottom + 17} text-anchor={anchor(tick().x)}>
                    {tickLabel(tick().at, chart().step)}
                  </text>
                </g>
              )}
            </Index>
            <Index each={chart().lanes}>
              {(lane) => (
                <g>
                  <text
                    class="lt-lane"
                    x={chart().plot.left - 8}
                    y={lane().y + 4.5}
                    text-anchor="end"
                  >
                    {KIND_NAMES[lane().kind].lane} {lane().n}
                  </text>
                  <Bar lane={lane()} />
                </g>
              )}
            </Index>
            <Index each={chart().refreshes}>
              {(mark) => (
                <Rule
                  class="lt-refresh"
                  x={mark().x}
                  top={chart().plot.top - 4}
                  bottom={chart().plot.bottom}
                />
              )}
            </Index>
            <Index each={chart().signOuts}>
              {(mark) => (
                <Rule
                  class="lt-signout"
                  x={mark().x}
                  top={chart().plot.top - 4}
                  bottom={chart().plot.bottom}
                />
              )}
            </Index>
            <Rule
              class="lt-now"
              x={chart().now.x}
              top={chart().plot.top - 6}
              bottom={chart().plot.bottom + 4}
            />
          </svg>
          <ul class="lt-legend">
            <For each={kinds()}>
              {(kind) => (
                <li>
                  <span class={`swatch kind-${kind}`} /> {KIND_NAMES[kind].name}
                </li>
              )}
            </For>
            <Show when={chart().lanes.some((lane) => lane.replacedX !== undefined)}>
              <li>
                <span class="swatch replaced" /> replaced, still valid
              </li>
            </Show>
            <Show when={chart().refreshes.length > 0}>
              <li>
                <span class="rule refresh" /> refresh
              </li>
            </Show>
            <Show when={chart().signOuts.length > 0}>
              <li>
                <span class="rule signout" /> signed out
              </li>
            </Show>
            <li>
              <span class="rule now" /> now
            </li>
          </ul>
        </div>
        <div class="lt-data">
          <table aria-label="Token lifetimes data">
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Issued at</th>
                <th scope="col">Expires at</th>
              </tr>
            </thead>
            <tbody>
              <For each={lifetimeTable(props.log)}>
                {(row) => (
                  <tr>
                    <th scope="row">
                      {row.token}
                      <span class="via"> {row.via}</span>
                    </th>
                    <td>
                      <time datetime={new Date(row.issuedAt).toISOString()}>
                        {shortTime(row.issuedAt, now())}
                      </time>
                    </td>
                    <td>
                      <Show when={row.expiresAt} fallback="unknown">
                        {(at) => (
                          <time datetime={new Date(at()).toISOString()}>
                            {shortTime(at(), now())}
                          </time>
                        )}
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </div>
    </figure>
  )
}
