import { describe, expect, it } from 'vitest'
import { copyText } from '../../src/console/audit/copy'
import { finding, type AuditReport } from '../../src/console/audit/finding'
import { auditMarkdown, escapeMarkdown, levelCounts } from '../../src/console/audit/markdown'

const report: AuditReport = {
  profileName: 'Demo [provider]',
  server: 'https://id.example.test',
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  findings: [
    finding(
      'Pass',
      'PKCE: code_challenge_methods_supported lists S256.',
      'Nothing to change.',
      'RFC 9700 §2.1.1',
    ),
    finding('Fail', 'JWKS key sizes: "<img src=x>" has 1024 bits.', 'Replace it.', 'RFC 7518 §3.3'),
  ],
}

describe('the audit as Markdown', () => {
  it('writes one list item per finding, level first in bold, citation last', () => {
    expect(auditMarkdown(report)).toBe(
      [
        '## Provider audit: Demo \\[provider\\]',
        '',
        'Server: https://id.example.test. Audited 2026-01-02T03:04:05.000Z by PKCE Console: 1 Pass, 0 Warning, 1 Fail.',
        '',
        '- **Pass**: PKCE: code_challenge_methods_supported lists S256. Nothing to change. (RFC 9700 §2.1.1)',
        '- **Fail**: JWKS key sizes: "\\<img src=x\\>" has 1024 bits. Replace it. (RFC 7518 §3.3)',
        '',
      ].join('\n'),
    )
  })

  it('keeps text from the provider literal: no link, image, HTML or new line', () => {
    expect(escapeMarkdown('![x](javascript:alert(1)) <b>*bold*</b>\n# head')).toBe(
      '\\!\\[x\\](javascript:alert(1)) \\<b\\>\\*bold\\*\\</b\\> \\# head',
    )
    expect(escapeMarkdown('_lead and trail_ but jwks_uri stays')).toBe(
      '\\_lead and trail\\_ but jwks_uri stays',
    )
  })

  it('counts the levels', () => {
    expect(levelCounts(report)).toBe('1 Pass, 0 Warning, 1 Fail')
  })
})

describe('copying', () => {
  it('writes the text with the Clipboard API', async () => {
    const written: string[] = []
    expect(await copyText('md', { writeText: async (text) => void written.push(text) })).toBe(true)
    expect(written).toEqual(['md'])
  })

  it('says so, without throwing, when there is no clipboard or it refuses', async () => {
    expect(await copyText('md', undefined)).toBe(false)
    expect(
      await copyText('md', {
        writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
      }),
    ).toBe(false)
  })
})
