import type { TimelineStep } from './record'
import { withTimeout } from './timeout'
import type { TokenEvent } from './refresh/token-getter'
import { AuthError, authErrorCode, toAuthError } from './auth-error'
import type { AuthEnvironment } from './environment'
import type { Emitter } from './events'
import { toTokens } from './tokens'
import type { AuthEvents, RequestRecord } from './types'

/**
 * A fetch per protocol step that times out after `timeoutMs` and reports each request, secrets
 * masked, as a `request` event. The recorder (`record.ts`) starts loading when a step's fetch is
 * made, not with the page: the start page sends no request.
 */
export function requestRecorder(
  env: AuthEnvironment,
  timeoutMs: number,
  events: Emitter<AuthEvents>,
  unmasked = false,
): (step: TimelineStep) => typeof fetch {
  const report = (entry: RequestRecord) => {
    events.emit('request', entry)
  }
  return (step) => {
    const timed = withTimeout(env.fetch, timeoutMs, env.timers)
    const recorder = import('./record')
    // A recorder that cannot load (offline) fails the request that needs it, not the page.
    recorder.catch(() => undefined)
    return async (input, init) => {
      const { maskRecord, recordingFetch } = await recorder
      const send = recordingFetch(
        timed,
        step,
        (entry) => {
          report(unmasked ? entry : maskRecord(entry))
        },
        () => env.now(),
      )
      return send(input, init)
    }
  }
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
              cause: event.reason,
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
