import { describe, expect, it } from 'vitest'
import { builtinTaskIds, parseTask, TaskError } from '../../schemas/index.ts'
import { task } from '../helpers.ts'

const minimal = () => ({
  id: 'demo',
  version: 1,
  title: 'Demo',
  description: 'demo task',
  input: { kind: 'text', description: 'a report' },
  fields: [
    { key: 'A', kind: 'number', label: 'a', unit: 'mL', limits: [0, 10] },
    { key: 'B', kind: 'number', label: 'b', unit: 'mL', limits: [0, 10] },
  ],
  formulas: ['A = B * 2'],
})

function issues(data: unknown): string[] {
  try {
    parseTask(data, 'demo.json')
  } catch (e) {
    expect(e).toBeInstanceOf(TaskError)
    expect((e as TaskError).message).toContain('demo.json')
    return (e as TaskError).issues.map((i) => `${i.path}: ${i.message}`)
  }
  return []
}

describe('shipped tasks', () => {
  it('ships cmr52, cxr14 and bonemets3', () => {
    expect(builtinTaskIds.sort()).toEqual(['bonemets3', 'cmr52', 'cxr14'])
  })

  it('cmr52 has the 52 numbers, CATEGORY, 22 formulas and a 0.7 threshold', () => {
    const t = task('cmr52')
    expect(t.fields.filter((f) => f.kind === 'number')).toHaveLength(52)
    expect(t.fields.at(-1)).toMatchObject({
      key: 'CATEGORY',
      kind: 'category',
      values: ['CAD', 'HCM', 'DCM', 'EBSTEIN', 'PAH', 'OTHER'],
    })
    expect(t.equations).toHaveLength(22)
    expect(t.triageThreshold).toBe(0.7)
  })

  it('cmr52 keeps sex-specific reference values from the spec', () => {
    const lvedv = task('cmr52').fields.find((f) => f.key === 'LVEDV')
    expect(lvedv).toMatchObject({
      reference: { male: { mean: 143, sd: 31 }, female: { mean: 113, sd: 23 } },
    })
  })

  it('every cmr52 number field has aliases, so grounding can find it', () => {
    for (const f of task('cmr52').fields)
      if (f.kind === 'number') expect(f.aliases.length, f.key).toBeGreaterThan(0)
  })

  it('cxr14 has 14 label fields and bonemets3 one category of 0, 1, 2', () => {
    expect(task('cxr14').fields.map((f) => f.kind)).toEqual(new Array(14).fill('label'))
    expect(task('bonemets3').fields).toMatchObject([
      { key: 'group', kind: 'category', values: [0, 1, 2], nullable: false },
    ])
  })
})

describe('parseTask errors', () => {
  it('accepts the minimal task', () => {
    expect(parseTask(minimal(), 'demo.json').equations[0]?.fields).toEqual(['A', 'B'])
  })

  it('names the path of a wrong type', () => {
    const t = minimal()
    ;(t.fields[1] as { limits: unknown }).limits = [10, 0]
    expect(issues(t)).toEqual(['fields[1].limits: limits are [min, max] with min < max'])
  })

  it('names a formula over an unknown field, with a suggestion', () => {
    const t = { ...minimal(), formulas: ['A = BB * 2'] }
    expect(issues(t)).toEqual([
      "formulas[0]: 'A = BB * 2' uses 'BB', which is not a number field of this task; did you mean 'B'?",
    ])
  })

  it('names a formula syntax error with its position', () => {
    expect(issues({ ...minimal(), formulas: ['A = (B * 2'] })).toEqual([
      "formulas[0]: 'A = (B * 2': expected ')' but found end of formula at character 11",
    ])
  })

  it('finds duplicate keys and unknown properties', () => {
    const t = minimal()
    ;(t.fields[1] as { key: string }).key = 'A'
    expect(issues({ ...t, formulas: [] })).toEqual([
      "fields[1].key: duplicate key 'A' (also fields[0])",
    ])
    expect(issues({ ...minimal(), extra: 1 })[0]).toMatch(/^: Unrecognized key.*extra/)
  })

  it('rejects concepts that no vocabulary word sets', () => {
    const t = minimal()
    ;(t.fields[0] as Record<string, unknown>).concepts = { quantity: 'edv' }
    expect(issues(t)).toEqual([
      'fields[0].concepts.quantity: no vocabulary group sets quantity=edv',
    ])
  })
})
