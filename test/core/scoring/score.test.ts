import { describe, expect, it } from 'vitest'
import { scoreRecord } from '../../../core/scoring/index.ts'
import { ids, sample, task } from '../../helpers.ts'

const cmr = task('cmr52')

describe('scoreRecord', () => {
  it('returns values, confidence, signals, evidence, flags and a report-level confidence', () => {
    const { text, gold } = sample('cmr52', '001')
    const r = scoreRecord(cmr, { values: gold, text })
    expect(Object.keys(r.values)).toHaveLength(53)
    expect(Object.keys(r.confidence)).toEqual(cmr.fields.map((f) => f.key))
    expect(r.signals.LVEDV).toEqual({
      distribution: 1,
      consistency: 1,
      grounding: expect.any(Number),
      coverage: expect.any(Number),
    })
    expect(r.report.coverage).toMatchObject({ whole: false, language: 'en', reasons: [] })
    expect(text.slice(r.evidence.LVEDV?.start, r.evidence.LVEDV?.end)).toBe('124 mL')
    expect(r.report).toMatchObject({ sex: 'female', sexSource: 'report', samples: 0 })
    expect(r.report.confidence).toBeCloseTo(
      Object.values(r.confidence).reduce((a, b) => a * b, 1),
      10,
    )
  })

  it('flags few of the gold values of the samples (under 2 %)', () => {
    let flagged = 0
    for (const id of ids(24)) {
      const { text, gold } = sample('cmr52', id)
      flagged += scoreRecord(cmr, { values: gold, text }).flagged.length
    }
    expect(flagged / (24 * 53)).toBeLessThan(0.02)
  })

  it('flags a typo, lowest confidence first', () => {
    const { text, gold } = sample('cmr52', '013')
    const r = scoreRecord(cmr, { values: { ...gold, LVEDV: 167.4 }, text })
    expect(r.flagged[0]).toBe('LVEDV')
  })

  it('leaves stability out without samples and uses it with them', () => {
    const { text, gold } = sample('cmr52', '001')
    expect(scoreRecord(cmr, { values: gold, text }).signals.LVEF?.stability).toBeUndefined()
    const withSamples = scoreRecord(cmr, {
      values: gold,
      text,
      samples: [gold, { ...gold, LVEF: 56 }, null],
    })
    expect(withSamples.signals.LVEF?.stability).toBeCloseTo(1 / 3)
    expect(withSamples.signals.LVEDV?.stability).toBeCloseTo(2 / 3)
    expect(withSamples.report.samples).toBe(3)
  })

  it('a number that breaks a formula with the record is never sure, however well it is grounded', () => {
    const text = 'LV EDV 160 ml, LV ESV 70 ml, LV SV 90 ml, LV EF 56 %.'
    const right = scoreRecord(cmr, { values: { LVEDV: 160, LVESV: 70, LVSV: 90, LVEF: 56 }, text })
    expect(right.confidence.LVSV).toBeGreaterThanOrEqual(0.7)
    // an SV read from elsewhere: EDV - ESV no longer holds, and nothing says which is wrong
    const broken = scoreRecord(cmr, {
      values: { LVEDV: 160, LVESV: 70, LVSV: 60, LVEF: 56 },
      text: `${text} Forward flow 60 ml.`,
    })
    expect(broken.signals.LVSV?.consistency).toBeLessThan(0.1)
    expect(broken.confidence.LVSV).toBeLessThan(0.7)
  })

  it('without text, scores on distribution and consistency alone', () => {
    const { gold } = sample('cmr52', '001')
    const r = scoreRecord(cmr, { values: gold })
    expect(r.signals.LVEDV).toEqual({ distribution: 1, consistency: 1 })
    expect(r.evidence.LVEDV).toBeNull()
    expect(r.report.sexSource).toBe('unknown')
  })

  it('a given sex wins over the report', () => {
    const { text, gold } = sample('cmr52', '001')
    expect(scoreRecord(cmr, { values: gold, text, sex: 'male' }).report).toMatchObject({
      sex: 'male',
      sexSource: 'given',
    })
  })

  it('a label status its student gave under even odds is never sure, even where a mention holds it', () => {
    const cxr14 = task('cxr14')
    const text = 'Small right pneumothorax. No effusion.'
    const values = { Pneumothorax: 'positive', 'Pleural Effusion': 'negative' }
    const sure = scoreRecord(cxr14, {
      values,
      text,
      probability: { Pneumothorax: 0.97, 'Pleural Effusion': 0.97 },
    })
    expect(sure.confidence.Pneumothorax).toBeGreaterThanOrEqual(0.7)
    // the student said otherwise and the mention decided: the disagreement is for a person
    const overruled = scoreRecord(cxr14, {
      values,
      text,
      probability: { Pneumothorax: 0.2, 'Pleural Effusion': 0.97 },
    })
    expect(overruled.confidence.Pneumothorax).toBeLessThan(0.7)
    expect(overruled.confidence['Pleural Effusion']).toBeGreaterThanOrEqual(0.7)
  })

  it('scores the other tasks too: labels with status, and a category', () => {
    const cxr = sample('cxr14', '003')
    const r = scoreRecord(task('cxr14'), { values: cxr.gold, text: cxr.text })
    expect(r.signals.Consolidation?.grounding).toBe(1)
    const bone = sample('bonemets3', '005')
    expect(
      scoreRecord(task('bonemets3'), { values: bone.gold, text: bone.text }).confidence.group,
    ).toBeGreaterThan(0)
  })
})
