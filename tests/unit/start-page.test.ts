// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * The modules an app that imports the library loads with its page: src/core/index.ts and what it
 * imports statically, type-only imports left out (`import()` is what loads on use).
 */
function startPageModules(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    if (!file.startsWith('src/')) return
    if (!/\.tsx?$/.test(file)) return
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest)
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue
      const specifier = statement.moduleSpecifier
      if (specifier === undefined || !ts.isStringLiteral(specifier)) continue
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause
        if (clause?.phaseModifier === ts.SyntaxKind.TypeKeyword) continue
        const bindings = clause?.namedBindings
        const onlyTypes =
          clause?.name === undefined &&
          bindings !== undefined &&
          ts.isNamedImports(bindings) &&
          bindings.elements.every((element) => element.isTypeOnly)
        if (onlyTypes) continue
      } else if (statement.isTypeOnly) continue
      const name = specifier.text
      if (!name.startsWith('.')) {
        visit(name)
        continue
      }
      const base = join(dirname(file), name)
      const candidates = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]
      visit(candidates.find((path) => existsSync(path)) ?? base)
    }
  }
  visit(entry)
  return new Set([...seen].map((file) => relative('.', file)))
}

describe("the library's start page", () => {
  const modules = startPageModules('src/core/index.ts')

  it('reaches the client, its token getter and storage', () => {
    for (const file of ['src/core/client.ts', 'src/core/refresh/token-getter.ts', 'idb-keyval'])
      expect(modules).toContain(file)
  })

  it('loads neither oauth4webapi nor jose: their code waits for login, callback or refresh', () => {
    expect(modules).not.toContain('oauth4webapi')
    expect(modules).not.toContain('jose')
  })

  it('leaves every protocol step, the recorder and the authorized fetch to load on use', () => {
    const lazy = [...modules].filter((file) =>
      /protocol\/(?!app-error|callback-params|transient)|record\.ts|authorized-fetch|login|logout|refresh-session|complete-callback/.test(
        file,
      ),
    )
    expect(lazy).toEqual([])
  })
})

describe("the console's start page", () => {
  const modules = startPageModules('src/main.tsx')

  it('renders the picker, the session panel and the profile toolbar', () => {
    for (const file of [
      'src/ui/ProviderPicker.tsx',
      'src/ui/SessionPanel.tsx',
      'src/ui/ProfileManager.tsx',
    ])
      expect(modules).toContain(file)
  })

  it('leaves what only tokens, a report, a deletion or the service worker need to load on use', () => {
    const onUse = [
      'src/ui/TokenExpiry.tsx',
      'src/console/claims/time-text.ts',
      'src/ui/AuditFindings.tsx',
      'src/ui/ProfileDelete.tsx',
      'src/console/profiles/export.ts',
      'src/offline/register.ts',
      'src/console/session-wiring.ts',
    ]
    expect(onUse.filter((file) => modules.has(file))).toEqual([])
  })
})
