// @vitest-environment node
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/** Exports that implement no RFC, OpenID or web platform section of their own. */
const NO_SPEC = new Set(['AuthEnvironment'])

/** Each export of the library's entry, with its TSDoc (read from the declaration the .d.ts gets). */
function exportsWithDocs() {
  const entry = 'src/core/index.ts'
  const program = ts.createProgram([entry], { strict: true, noEmit: true })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(entry)
  if (source === undefined) throw new Error(`${entry} is missing`)
  const module = checker.getSymbolAtLocation(source)
  if (module === undefined) throw new Error(`${entry} is not a module`)
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    return {
      name: symbol.name,
      doc: ts.displayPartsToString(target.getDocumentationComment(checker)),
      sees: target.getJsDocTags(checker).filter((tag) => tag.name === 'see'),
    }
  })
}

describe('the library entry', () => {
  const exported = exportsWithDocs()

  it('exports the contract of shared/library.md', () => {
    expect(exported.map((e) => e.name)).toEqual(
      expect.arrayContaining(['createAuthClient', 'AuthError', 'AuthClient', 'Tokens']),
    )
  })

  it.each(exported)('documents $name, with the section it implements', ({ name, doc, sees }) => {
    expect(doc.length, `${name} has no TSDoc`).toBeGreaterThan(20)
    if (!NO_SPEC.has(name)) expect(sees.length, `${name} has no @see`).toBeGreaterThan(0)
  })
})
