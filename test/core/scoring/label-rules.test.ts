import { describe, expect, it } from 'vitest'
import { loadTask } from '../../../cli/io.ts'
import { evaluateLabels } from '../../../core/evaluation/compare.ts'
import { scoreRecord } from '../../../core/scoring/index.ts'
import { derivedLabel, labelConsistency } from '../../../core/scoring/label-rules.ts'
import type { TaskRecord } from '../../../schemas/record.ts'
import { parseTask } from '../../../schemas/task.ts'

const cxr = loadTask('cxr14')
const noFinding = cxr.fields.find((f) => f.key === 'No Finding')
const row = (r: TaskRecord) => cxr.fields.map((f) => r[f.key] ?? null)
const at = (key: string) => cxr.fields.findIndex((f) => f.key === key)

describe('label rules', () => {
  it('derives No Finding: positive unless a pathology is positive or uncertain', () => {
    if (noFinding?.kind !== 'label') throw new Error('cxr14 has No Finding')
    expect(derivedLabel(noFinding, (k) => ({ Pneumothorax: 'negative' })[k])).toBe('positive')
    expect(derivedLabel(noFinding, (k) => ({ Edema: 'uncertain' })[k])).toBe(null)
    // support devices do not block it
    expect(derivedLabel(noFinding, (k) => ({ 'Support Devices': 'positive' })[k])).toBe('positive')
  })

  it('scores a No Finding that contradicts the others as inconsistent', () => {
    const bad = labelConsistency(cxr, row({ 'No Finding': 'positive', Cardiomegaly: 'positive' }))
    expect(bad[at('No Finding')]).toBeLessThan(0.5)
    const good = labelConsistency(cxr, row({ 'No Finding': null, Cardiomegaly: 'positive' }))
    expect(good[at('No Finding')]).toBe(1)
  })

  it('lowers a positive pneumonia without an opacity or consolidation, leaves other labels unscored', () => {
    const alone = labelConsistency(cxr, row({ Pneumonia: 'positive' }))
    expect(alone[at('Pneumonia')]).toBeLessThan(1)
    expect(
      labelConsistency(cxr, row({ Pneumonia: 'positive', Consolidation: 'positive' }))[
        at('Pneumonia')
      ],
    ).toBe(1)
    expect(Number.isNaN(alone[at('Fracture')] as number)).toBe(true)
  })

  it('feeds the consistency signal of the scorer', () => {
    const r = scoreRecord(cxr, { values: { 'No Finding': 'positive', Edema: 'positive' } })
    expect(r.signals['No Finding']?.consistency).toBeLessThan(0.5)
  })

  it('rejects a rule that names a label the task does not have', () => {
    expect(() =>
      parseTask(
        {
          id: 'x',
          version: 1,
          title: 'x',
          description: 'x',
          input: { kind: 'text', description: 'x' },
          fields: [
            {
              key: 'A',
              kind: 'label',
              label: 'A',
              positiveWhenNone: { of: ['B'], are: ['positive'] },
            },
          ],
        },
        'x.json',
      ),
    ).toThrow(/positiveWhenNone.of\[0\].*'B' is not another label/)
  })
})

describe('label metrics', () => {
  it('computes macro F1 over present (positive or uncertain) and status accuracy on mentioned labels', () => {
    const gold = { Edema: 'positive', Pneumothorax: 'negative', Fracture: 'uncertain' }
    const pred = { Edema: 'uncertain', Pneumothorax: null, Fracture: null }
    const e = evaluateLabels(cxr, [{ id: '1', gold, pred }])
    // Edema: tp (uncertain counts as present); Fracture: fn; Pneumothorax: nothing present
    expect(e?.f1.Edema).toBe(1)
    expect(e?.f1.Fracture).toBe(0)
    expect(Number.isNaN(e?.f1.Pneumothorax as number)).toBe(true)
    expect(e?.macroF1).toBeCloseTo(0.5)
    expect(e?.mentioned).toBe(3)
    expect(e?.mentionedAccuracy).toBe(0)
  })
})
