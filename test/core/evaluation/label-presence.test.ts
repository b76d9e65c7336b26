import { describe, expect, it } from 'vitest'
import {
  errorKind,
  evaluatePresence,
  type PresencePrediction,
} from '../../../core/evaluation/label-presence.ts'
import type { LabelField } from '../../../schemas/task.ts'
import { task } from '../../helpers.ts'

const cxr = task('cxr14')
const field = (key: string) => cxr.fields.find((f) => f.key === key) as LabelField

const predictions = new Map<string, PresencePrediction>([
  [
    'a',
    {
      text: 'No pneumothorax. Possible small left effusion.',
      values: { Pneumothorax: 'negative', 'Pleural Effusion': 'uncertain', Edema: null },
      confidence: { Pneumothorax: 0.95, 'Pleural Effusion': 0.9, Edema: 0.5 },
    },
  ],
  [
    'b',
    {
      text: 'Moderate cardiomegaly.',
      values: { Pneumothorax: 'positive', 'Pleural Effusion': null, Cardiomegaly: 'positive' },
      confidence: { Pneumothorax: 0.8, 'Pleural Effusion': 0.9, Cardiomegaly: 0.99 },
    },
  ],
])

describe('evaluatePresence', () => {
  const gold = new Map<string, Record<string, boolean | null>>([
    ['a', { Pneumothorax: false, 'Pleural Effusion': false, Edema: null }],
    ['b', { Pneumothorax: false, 'Pleural Effusion': true, Cardiomegaly: true }],
    ['not predicted', { Pneumothorax: true }],
  ])
  const e = evaluatePresence(cxr, gold, predictions)

  it('counts uncertain as present, skips null gold and reports without a prediction', () => {
    expect(e.labels['Pleural Effusion']).toMatchObject({ tp: 0, fp: 1, fn: 1, f1: 0 })
    expect(e.labels.Pneumothorax).toMatchObject({ tp: 0, fp: 1, fn: 0, f1: 0 })
    expect(e.labels.Cardiomegaly).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 })
    expect(e.labels.Edema).toBeUndefined()
    expect(e.macroF1).toBeCloseTo(1 / 3, 10)
  })

  it('counts the errors among sure values (confidence >= the threshold)', () => {
    // five judged values, all sure; three wrong
    expect(e.sure).toEqual({ count: 5, errors: 3 })
  })

  it('names each error kind in the task words, most frequent first', () => {
    expect(e.kinds.map(([k]) => k).sort()).toEqual(
      [
        'FN Pleural Effusion: no mention',
        "FP Pleural Effusion: uncertain by 'possible'",
        'FP Pneumothorax: student, no mention',
      ].sort(),
    )
  })
})

describe('errorKind', () => {
  it('names the negation cue that hid a finding, never the words around it', () => {
    const text = 'The lungs are free of consolidation, per the report of Dr Smith.'
    const kind = errorKind(cxr, text, field('Consolidation'), false)
    expect(kind).toBe("FN Consolidation: negated by 'free of'")
    expect(kind).not.toContain('Smith')
  })

  it('a derived label names the labels that kept it unset', () => {
    const text = 'Small right effusion. No pneumothorax.'
    expect(errorKind(cxr, text, field('No Finding'), false)).toBe(
      'FN No Finding: blocked by Pleural Effusion',
    )
    expect(errorKind(cxr, 'Lungs clear.', field('No Finding'), true)).toBe(
      'FP No Finding: normal, gold abnormal',
    )
  })

  it('an alias read positive is named as the task writes it', () => {
    expect(errorKind(cxr, 'Right chest tubes.', field('Support Devices'), true)).toBe(
      "FP Support Devices: positive 'chest tube'",
    )
  })
})
