import type { AuditReport, FindingLevel } from './finding'

/**
 * Escapes text for Markdown: values from the provider (an issuer, a `kid`, an algorithm) become
 * literal text, never a link, an image or HTML. An underscore inside a word (`jwks_uri`) is left
 * alone: it is no emphasis in CommonMark.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[\\`*[\]<>|!#~]/g, (c) => `\\${c}`)
    .replace(/(^|\W)_|_(?=\W|$)/g, (match) => match.replace('_', '\\_'))
}

/** How many findings of each level, in words: `12 Pass, 3 Warning, 1 Fail`. */
export function levelCounts(report: AuditReport): string {
  const levels: FindingLevel[] = ['Pass', 'Warning', 'Fail']
  return levels
    .map((level) => `${String(report.findings.filter((f) => f.level === level).length)} ${level}`)
    .join(', ')
}

/**
 * The report as Markdown, one list item per finding, each beginning with its level in bold and
 * ending with its citation. The report holds no token, so neither does this.
 */
export function auditMarkdown(report: AuditReport): string {
  const lines = [
    `## Provider audit: ${escapeMarkdown(report.profileName)}`,
    '',
    `Server: ${escapeMarkdown(report.server)}. Audited ${new Date(report.at).toISOString()} by PKCE Console: ${levelCounts(report)}.`,
    '',
    ...report.findings.map(
      (item) =>
        `- **${item.level}**: ${escapeMarkdown(item.checked)} ${escapeMarkdown(item.advice)} (${escapeMarkdown(item.cite)})`,
    ),
  ]
  return `${lines.join('\n')}\n`
}
