// The plain-DOM bits the reference apps share with each other (and, in spirit, with
// tests/consumer/main.ts): find an element, list an error as an alert.

/** The element with this id; throws when the page lacks it. */
export const $ = (id: string): HTMLElement => {
  const element = document.getElementById(id)
  if (element === null) throw new Error(`#${id} is missing`)
  return element
}

/** Adds the error to the page's `Errors` list as an alert. */
export function show(error: unknown): void {
  const item = document.createElement('li')
  item.setAttribute('role', 'alert')
  item.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  $('errors').append(item)
}

/** What the reference apps read from `providers.json`: the demo profile's fields they use. */
export interface BenchProfile {
  issuer: string
  client_id: string
  scope: string
  authorization_params?: Record<string, string>
  requests: { url: string }[]
}

/** The first profile of the `providers.json` served next to the page (as tests/consumer does). */
export async function loadProfile(): Promise<BenchProfile> {
  const config = (await (await fetch('./providers.json')).json()) as { profiles: BenchProfile[] }
  const profile = config.profiles[0]
  if (profile === undefined) throw new Error('providers.json has no profile')
  return profile
}
