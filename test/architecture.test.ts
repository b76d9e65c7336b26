/**
 * The layer order the architecture doc draws, checked on the source: each top-level part imports
 * only the parts below it (the edge and the worker both depend on core/ and schemas/, never on
 * each other), and every SQL statement of the edge sits behind functions/store/.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root } from './helpers.ts'

const sources = execFileSync('git', ['ls-files', '*.ts'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('test/'))

/** Relative imports of a file, as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    normalize(join(dirname(file), m[1] as string)),
  )
}

/** What each part may import besides itself. */
const allowed: Record<string, readonly string[]> = {
  schemas: [],
  core: ['schemas'],
  adapters: ['core', 'schemas'],
  functions: ['core', 'schemas', 'adapters/aws'],
  'inference-gpu': ['core', 'schemas', 'adapters'],
  // the corpus and the training scripts: never the CLI
  distill: ['core', 'schemas'],
  models: ['core', 'schemas', 'adapters', 'distill'],
}

describe('layers', () => {
  for (const [part, below] of Object.entries(allowed)) {
    it(`${part}/ imports only ${below.length ? below.join(', ') : 'itself'}`, () => {
      const wrong = sources
        .filter((f) => f.startsWith(`${part}/`))
        .flatMap((f) =>
          importsOf(f)
            .filter((p) => !p.startsWith(`${part}/`) && !below.some((b) => p.startsWith(`${b}/`)))
            .map((p) => `${f} -> ${p}`),
        )
      expect(wrong).toEqual([])
    })
  }

  it('finds the imports it checks (the walk is not empty)', () => {
    expect(importsOf('functions/queues/dispatch.ts')).toContain('functions/store/lifecycle.ts')
  })

  it('keeps every SQL statement of the edge in functions/store/', () => {
    const outside = sources.filter(
      (f) =>
        f.startsWith('functions/') &&
        !f.startsWith('functions/store/') &&
        /\.prepare\(|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/.test(
          readFileSync(join(root, f), 'utf8'),
        ),
    )
    expect(outside).toEqual([])
  })
})
