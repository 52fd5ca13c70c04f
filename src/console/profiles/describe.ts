import { FIELD_LABELS } from '../../core/tools'

/**
 * Prefixes a validation message with the form label of the field it names, so one sentence
 * serves both the JSON author (`"token_endpoint" …`) and the form user (`Token endpoint: …`).
 * Messages that name no known field are returned as they are.
 */
export function labelProblem(problem: string): string {
  const field = /^"([a-z_]+)(?:\[\d+\])?"/.exec(problem)?.[1]
  const label = field === undefined ? undefined : FIELD_LABELS[field]
  return label === undefined ? problem : `${label}: ${problem}`
}
