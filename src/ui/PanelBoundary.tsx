import { ErrorBoundary, type JSX } from 'solid-js'

/**
 * Shows an alert in place of a panel that failed to render (a hostile token, a bug), so the rest
 * of the app (status, Log out, other profiles) keeps working. The alert offers a retry.
 */
export function PanelBoundary(props: { name: string; children: JSX.Element }) {
  return (
    <ErrorBoundary
      fallback={(error: unknown, reset) => (
        <div role="alert" class="alert">
          <p>
            <strong>render_failed</strong>: the {props.name} panel could not be shown:{' '}
            {error instanceof Error ? error.message : String(error)}
          </p>
          <p class="hint">
            The rest of the app still works (Log out removes the tokens). Try again, or reload the
            page.
          </p>
          <button type="button" class="quiet" onClick={reset}>
            Try again
          </button>
        </div>
      )}
    >
      {props.children}
    </ErrorBoundary>
  )
}
