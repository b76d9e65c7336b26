import { describe, expect, it } from 'vitest'
import { settleByMentions } from '../../../core/extraction/settle-labels.ts'
import type { TaskRecord } from '../../../schemas/record.ts'
import { task } from '../../helpers.ts'

const cxr = task('cxr14')
const deciding = { ...cxr, mentionsDecide: 'explicit' as const }
const grounding = { ...cxr, mentionsDecide: 'never' as const }

/** A student's reading that missed the fracture and so called the report normal. */
function missedFracture() {
  const values: TaskRecord = { 'No Finding': 'positive', Fracture: 'negative', Pneumothorax: null }
  return {
    values,
    probability: { 'No Finding': 0.97, Fracture: 0.9, Pneumothorax: 0.8 } as Record<string, number>,
    choices: {
      Fracture: { null: 0.02, positive: 0.07, negative: 0.9, uncertain: 0.01 },
      Pneumothorax: { null: 0.8, positive: 0.01, negative: 0.18, uncertain: 0.01 },
    } as Record<string, Record<string, number>>,
  }
}
const text = 'Old healed right rib fractures. No pneumothorax. No acute cardiopulmonary process.'

describe('settleByMentions', () => {
  it('a status every mention states wins, with the model probability of it; No Finding follows', () => {
    const r = missedFracture()
    expect(settleByMentions(deciding, text, r).sort()).toEqual(
      ['Fracture', 'No Finding', 'Pneumothorax'].sort(),
    )
    expect(r.values).toMatchObject({ Fracture: 'positive', Pneumothorax: 'negative' })
    expect(r.values['No Finding']).toBeNull()
    expect(r.probability.Fracture).toBe(0.07)
    expect(r.probability.Pneumothorax).toBe(0.18)
    expect(r.probability['No Finding']).toBeCloseTo(0.03, 10)
  })

  it('a settled label shows its mention as the evidence', () => {
    const r = {
      ...missedFracture(),
      evidence: {} as Record<string, { start: number; end: number }>,
    }
    settleByMentions(deciding, text, r)
    const span = r.evidence.Fracture
    expect(span && text.slice(span.start, span.end)).toBe('rib fractures')
  })

  it('a reading without probabilities (a generative student) gets none', () => {
    const r = {
      values: { 'No Finding': 'positive', Fracture: null } as TaskRecord,
      probability: {},
    }
    settleByMentions(deciding, text, r)
    expect(r.values.Fracture).toBe('positive')
    expect(r.probability).toEqual({})
  })

  it('a label the report only asks about stays unset', () => {
    const r = missedFracture()
    r.values.Pneumothorax = 'positive'
    const asked = 'Fracture? Exclude pneumothorax. The lungs are clear.'
    expect(settleByMentions(deciding, asked, r)).toContain('Pneumothorax')
    expect(r.values.Pneumothorax).toBeNull()
    expect(r.probability.Pneumothorax).toBe(0.8)
  })

  it('mentions that disagree leave the student its answer', () => {
    const r = missedFracture()
    const torn = 'Old healed right rib fractures. No acute fracture.'
    expect(settleByMentions(deciding, torn, r)).toEqual([])
    expect(r.values.Fracture).toBe('negative')
  })

  it('a label no mention names is unset, whatever the student reads into the words around it', () => {
    const r = missedFracture()
    r.values['Support Devices'] = 'positive'
    r.probability['Support Devices'] = 0.6
    r.choices['Support Devices'] = { null: 0.35, positive: 0.6, negative: 0.04, uncertain: 0.01 }
    const text = 'Stable XXXX over the right upper chest. The lungs are clear.'
    expect(settleByMentions(deciding, text, r)).toContain('Support Devices')
    expect(r.values['Support Devices']).toBeNull()
    expect(r.probability['Support Devices']).toBe(0.35)
  })

  it('a finding outside the labels leaves No Finding unset, with the other outcome probability', () => {
    const r = missedFracture()
    const text = 'Moderate thoracic kyphosis. No pneumothorax. No acute cardiopulmonary process.'
    r.values.Fracture = null
    settleByMentions(deciding, text, r)
    expect(r.values['No Finding']).toBeNull()
    expect(r.probability['No Finding']).toBeCloseTo(0.03, 10)
  })

  it('does nothing where the task lets mentions only ground', () => {
    const r = missedFracture()
    expect(settleByMentions(grounding, text, r)).toEqual([])
    expect(r.values.Fracture).toBe('negative')
  })
})
