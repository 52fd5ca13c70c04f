import { expect } from 'vitest'

/** One scripted exchange: what the app must send, and the answer it gets. */
export interface Script {
  method: string
  url: string
  answer: () => Response
  /** Checks on the request body (form fields), when given. */
  form?: (body: URLSearchParams) => void
}

/**
 * A fetch that answers from a script in order and fails the test on any unscripted request;
 * `done()` fails when a scripted request was never sent.
 */
export function scriptedFetch(script: Script[]) {
  const queue = [...script]
  const sent: { method: string; url: string; body: URLSearchParams }[] = []
  const impl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input)
    const method = init?.method ?? 'GET'
    const next = queue.shift()
    if (next === undefined) throw new Error(`unscripted request ${method} ${url}`)
    expect(`${method} ${url}`).toBe(`${next.method} ${next.url}`)
    const body = new URLSearchParams(
      typeof init?.body === 'string'
        ? init.body
        : init?.body instanceof URLSearchParams
          ? init.body
          : undefined,
    )
    sent.push({ method, url, body })
    next.form?.(body)
    return next.answer()
  }
  return {
    fetch: impl,
    sent,
    done: () => expect(queue.map((s) => `${s.method} ${s.url}`)).toEqual([]),
  }
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

/** A Storage-like object for the transient records. */
export function memoryStorage(): Storage {
  const map = new Map<string, string>()
  return {
    get length() {
      return map.size
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  }
}

/**
 * What a browser gives script for a redirect fetched with `redirect: 'manual'`: type
 * `opaqueredirect`, status 0, no headers. Node's Response cannot be built so; the two getters are
 * shadowed on the instance.
 */
export function opaqueRedirect(): Response {
  const response = new Response(null, { status: 200 })
  Object.defineProperty(response, 'type', { value: 'opaqueredirect' })
  Object.defineProperty(response, 'status', { value: 0 })
  Object.defineProperty(response, 'ok', { value: false })
  return response
}
