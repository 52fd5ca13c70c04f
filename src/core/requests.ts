import { maskForm, maskHeader, maskUrl, recordingFetch } from '../session/timeline'
import type { TimelineStep } from '../session/timeline'
import type { TokenEvent } from '../session/token-getter'
import { AuthError, authErrorCode, toAuthError } from './auth-error'
import type { AuthEnvironment } from './environment'
import type { Emitter } from './events'
import { toTokens } from './tokens'
import type { AuthEvents } from './types'

/** Adds an abort after `ms` to every request, on the environment's timers. */
export function withTimeout(
  fetchImpl: typeof fetch,
  ms: number,
  env: AuthEnvironment,
): typeof fetch {
  return (input, init) => {
    const controller = new AbortController()
    const timer = env.timers.setTimeout(() => {
      controller.abort(new DOMException(`no answer within ${String(ms / 1000)} s`, 'TimeoutError'))
    }, ms)
    const signal = init?.signal
      ? AbortSignal.any([init.signal, controller.signal])
      : controller.signal
    return fetchImpl(input, { ...init, signal }).finally(() => {
      env.timers.clearTimeout(timer)
    })
  }
}

/**
 * A fetch per protocol step that times out after `timeoutMs` and reports each request, secrets
 * masked, as a `request` event.
 */
export function requestRecorder(
  env: AuthEnvironment,
  timeoutMs: number,
  events: Emitter<AuthEvents>,
): (step: TimelineStep) => typeof fetch {
  return (step) =>
    recordingFetch(
      withTimeout(env.fetch, timeoutMs, env),
      step,
      (entry) => {
        events.emit('request', {
          ...entry,
          ...(entry.url !== undefined ? { url: maskUrl(entry.url) } : {}),
          ...(entry.requestHeaders
            ? {
                requestHeaders: entry.requestHeaders.map(([n, v]): [string, string] => [
                  n,
                  maskHeader(n, v),
                ]),
              }
            : {}),
          ...(entry.requestBody !== undefined ? { requestBody: maskForm(entry.requestBody) } : {}),
        })
      },
      () => env.now(),
    )
}

/** A provider's OAuth error code (RFC 6749 §5.2 syntax), as opposed to one of the library's. */
const OAUTH_ERROR = /^(access_denied|invalid_\w+|unauthorized_client|unsupported_\w+)$/

/** Turns a token getter event into the library's events. */
export function forwardTokenEvent(event: TokenEvent, events: Emitter<AuthEvents>): void {
  switch (event.type) {
    case 'updated':
      events.emit('tokens', toTokens(event.tokens))
      return
    case 'signed-out':
      events.emit('signed-out', {
        reason: event.reason
          ? new AuthError(authErrorCode(event.reason.code), event.reason.message, {
              ...(OAUTH_ERROR.test(event.reason.code) ? { error: event.reason.code } : {}),
            })
          : undefined,
      })
      return
    case 'retrying':
      events.emit('refresh-retrying', {
        error: toAuthError(event.error),
        attempt: event.attempt,
        delayMs: event.delayMs,
      })
      return
    case 'recovered':
      events.emit('refresh-recovered', undefined)
      return
    case 'gave-up':
      events.emit('refresh-failed', { error: toAuthError(event.error) })
  }
}
