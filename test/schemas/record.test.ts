import { describe, expect, it } from 'vitest'
import { recordJsonSchema, validateRecord } from '../../schemas/index.ts'
import { sample, task } from '../helpers.ts'

describe('validateRecord', () => {
  const cmr = task('cmr52')

  it('accepts every gold sample of every task', () => {
    for (const [t, id] of [
      ['cmr52', '001'],
      ['cmr52', '024'],
      ['cxr14', '002'],
      ['bonemets3', '012'],
    ] as const) {
      expect(validateRecord(task(t), sample(t, id).gold)).toMatchObject({ ok: true })
    }
  })

  it('names an unknown field and suggests the nearest', () => {
    expect(validateRecord(cmr, { LVEDVV: 1 }, { partial: true })).toEqual({
      ok: false,
      issues: [{ field: 'LVEDVV', message: "unknown field for task cmr52; did you mean 'LVEDV'?" }],
    })
  })

  it('names the field and what was expected for a wrong value', () => {
    const r = validateRecord(cmr, { LVEF: '65 %', CATEGORY: 'NORMAL' }, { partial: true })
    expect(r).toEqual({
      ok: false,
      issues: [
        { field: 'LVEF', message: 'expected a number in % or null, got the string "65 %"' },
        {
          field: 'CATEGORY',
          message:
            'expected one of "CAD", "HCM", "DCM", "EBSTEIN", "PAH", "OTHER" or null, got the string "NORMAL"',
        },
      ],
    })
  })

  it('without partial, a missing key is an error', () => {
    const r = validateRecord(cmr, { LVEF: 60 })
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.issues[0]).toEqual({
        field: 'HEIGHT',
        message: 'expected a number in cm or null, got nothing (the key is missing)',
      })
  })

  it('rejects a non-object', () => {
    expect(validateRecord(cmr, [1])).toEqual({
      ok: false,
      issues: [{ field: '', message: 'expected a JSON object of field -> value, got an array' }],
    })
  })
})

describe('recordJsonSchema', () => {
  it('lists every field as required with nullable types', () => {
    const s = recordJsonSchema(task('cmr52')) as {
      required: string[]
      properties: Record<string, { anyOf?: unknown[] }>
      additionalProperties: boolean
    }
    expect(s.required).toHaveLength(53)
    expect(s.additionalProperties).toBe(false)
    expect(JSON.stringify(s.properties.CATEGORY)).toContain('"EBSTEIN"')
    expect(JSON.stringify(s.properties.LVEDV)).toContain('"null"')
  })

  it('gives cxr14 labels the three statuses or null', () => {
    const s = recordJsonSchema(task('cxr14')) as { properties: Record<string, unknown> }
    expect(JSON.stringify(s.properties.Pneumothorax)).toMatch(/positive.*negative.*uncertain/)
  })
})
