/** The strings of a metadata list (RFC 8414 §2: JSON arrays of strings), or undefined when absent. */
export function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.filter((item): item is string => typeof item === 'string')
}

/** A list as the report quotes it: `"S256", "plain"`, or `none` when empty. */
export function quoted(values: readonly string[]): string {
  return values.length === 0 ? 'nothing' : values.map((value) => JSON.stringify(value)).join(', ')
}
