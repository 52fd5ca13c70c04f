/** How a provider setting measures up: fine, worth a look, or in the way of a safe browser app. */
export type FindingLevel = 'Pass' | 'Warning' | 'Fail'

/**
 * One result of the provider audit. `checked` says what was looked at and what was found;
 * `advice` what the user (or the provider's administrator) can change; `cite` the sections that
 * ask for it (`RFC 9700 §2.1.1`). No finding ever holds a token.
 */
export interface Finding {
  level: FindingLevel
  checked: string
  advice: string
  cite: string
  /**
   * Set when the check needs something this tab has not done yet (a login, a refresh): a
   * warning that says "not checked yet", about the session rather than the provider.
   */
  pending?: true
}

/** The audit of one profile's provider, as shown and copied. */
export interface AuditReport {
  profileName: string
  /** The issuer asked for, or the profile's authorization endpoint when it names none. */
  server: string
  /** When the audit ran (ms since the epoch). */
  at: number
  findings: Finding[]
}

/** A finding, built in the order the report reads. */
export function finding(
  level: FindingLevel,
  checked: string,
  advice: string,
  cite: string,
): Finding {
  return { level, checked, advice, cite }
}

/** A check that waits for this tab's session to do something first: "not checked yet". */
export function notCheckedYet(checked: string, advice: string, cite: string): Finding {
  return { ...finding('Warning', checked, advice, cite), pending: true }
}
