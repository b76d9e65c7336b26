import { describe, expect, it } from 'vitest'
import {
  groundCategory,
  groundLabel,
  labelMentions,
} from '../../../core/scoring/grounding-words.ts'
import type { CategoryField, LabelField } from '../../../schemas/index.ts'
import { task } from '../../helpers.ts'

const cxr = task('cxr14')
const label = (k: string) => cxr.fields.find((f) => f.key === k) as LabelField
const status = (k: string, text: string) => labelMentions(cxr, label(k), text).map((m) => m.status)

describe('label status from cues around a mention', () => {
  it.each([
    ['Pneumothorax', 'There is no pneumothorax.', 'negative'],
    ['Pneumothorax', 'Small right apical pneumothorax.', 'positive'],
    ['Consolidation', 'Possible consolidation at the left base.', 'uncertain'],
    ['Enlarged Cardiomediastinum', 'The mediastinum is not widened.', 'negative'],
    ['Cardiomegaly', 'The heart size is normal.', 'negative'],
    ['Pneumonia', 'Infection cannot be excluded.', 'uncertain'],
  ])('%s in %j is %s', (k, text, s) => {
    expect(status(k, text)).toEqual([s])
  })

  it('a cue in another sentence does not count', () => {
    expect(status('Pneumothorax', 'No effusion. Large pneumothorax on the right.')).toEqual([
      'positive',
    ])
  })
})

describe('groundLabel', () => {
  const text = 'There is no pneumothorax. Right lower lobe consolidation.'
  it('grounds the recorded status at its mention', () => {
    expect(groundLabel(cxr, label('Pneumothorax'), 'negative', text)).toEqual({
      score: 1,
      span: { start: 12, end: 24 },
    })
  })
  it('scores a contradicted status low', () => {
    expect(groundLabel(cxr, label('Pneumothorax'), 'positive', text)?.score).toBe(0.3)
  })
  it('a null for a label the report mentions is suspicious', () => {
    expect(groundLabel(cxr, label('Consolidation'), null, text)?.score).toBe(0.4)
    expect(groundLabel(cxr, label('Fracture'), null, text)?.score).toBe(1)
  })
})

describe('groundLabel of a derived label (No Finding)', () => {
  const nf = label('No Finding')
  it('is grounded when the mentions lead to the same value by its rule', () => {
    const text = 'Left-sided pacemaker. The lungs are clear. No acute cardiopulmonary process.'
    expect(groundLabel(cxr, nf, 'positive', text)?.score).toBe(1)
    expect(groundLabel(cxr, nf, null, text)?.score).toBe(0.1)
  })
  it('a chronic finding beside "no acute process" leaves No Finding unset', () => {
    const text = 'Old healed right rib fractures. No acute cardiopulmonary process.'
    expect(groundLabel(cxr, nf, 'positive', text)?.score).toBe(0.1)
    expect(groundLabel(cxr, nf, null, text)?.score).toBe(1)
  })
})

describe('groundCategory', () => {
  const category = task('cmr52').fields.find((f) => f.key === 'CATEGORY') as CategoryField
  it('finds the category keywords, and notices another category named instead', () => {
    const text = 'Conclusion: non-ischaemic dilated cardiomyopathy.'
    expect(groundCategory(category, 'DCM', text)?.score).toBe(1)
    expect(groundCategory(category, 'HCM', text)?.score).toBe(0.3)
  })
})
