import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { calibrate, type LabelledReport } from '../../../core/calibration/calibrate.ts'
import { fitConfidenceModel } from '../../../core/calibration/fit.ts'
import { perturb, rng, swapPairs, typo } from '../../../core/calibration/perturb.ts'
import { ids, root, sample, task } from '../../helpers.ts'

const cmr = task('cmr52')
const distractors = JSON.parse(
  readFileSync(join(root, 'calibration', 'cmr52-distractors.json'), 'utf8'),
).reports
const reports: LabelledReport[] = ids(24).map((id) => ({
  id,
  ...sample('cmr52', id),
  distractors: distractors[id],
}))

describe('calibration on the samples with planted errors (held out by report)', () => {
  const outcome = calibrate(cmr, reports)
  if (!outcome.ok) throw new Error(outcome.reason)
  const r = outcome.report

  it('flags at least 90 % of planted errors and under 5 % of right values', () => {
    expect(r.heldOut.triage.errorsFlagged).toBeGreaterThanOrEqual(0.9)
    expect(r.heldOut.triage.correctFlagged).toBeLessThan(0.05)
  })

  it('flags most errors of every kind planted in cmr52', () => {
    const planted = Object.entries(r.heldOut.perKind).filter(([, k]) => k.planted > 0)
    expect(planted.map(([kind]) => kind)).toEqual([
      'unit_slip',
      'typo',
      'swap',
      'omission',
      'hallucination',
      'distractor',
      'wrong_category',
    ])
    for (const [kind, k] of planted) expect(k.flagged, kind).toBeGreaterThanOrEqual(0.8)
  })

  it('is well calibrated and ranks wrong values low', () => {
    expect(r.heldOut.ece).toBeLessThan(0.03)
    expect(r.heldOut.auroc).toBeGreaterThan(0.95)
  })

  it('the shipped model is the one this data fits', () => {
    expect(cmr.confidenceModel?.weights.grounding).toBeCloseTo(r.model.weights.grounding, 2)
  })

  it("values with an encoder's probability use the pool fitted on that encoder's own results", () => {
    expect(cmr.confidenceModel?.withModel?.fittedOn).toMatch(/encoder student's own results/)
    expect(cmr.confidenceModel?.withModel?.weights.model).toBeGreaterThan(0)
  })
})

describe('calibration of the other tasks', () => {
  it('cxr14: flags at least 90 % of planted label errors and under 5 % of right labels', () => {
    const cxr = task('cxr14')
    const outcome = calibrate(
      cxr,
      ids(16).map((id) => ({ id, ...sample('cxr14', id) })),
    )
    if (!outcome.ok) throw new Error(outcome.reason)
    expect(outcome.report.heldOut.triage.errorsFlagged).toBeGreaterThanOrEqual(0.9)
    expect(outcome.report.heldOut.triage.correctFlagged).toBeLessThan(0.05)
    expect(cxr.confidenceModel?.weights.grounding).toBeCloseTo(
      outcome.report.model.weights.grounding,
      2,
    )
  })

  it('bonemets3: the rule reading grounds the group, so planted wrong groups are flagged', () => {
    const bone = task('bonemets3')
    const outcome = calibrate(
      bone,
      ids(12).map((id) => ({ id, ...sample('bonemets3', id) })),
    )
    if (!outcome.ok) throw new Error(outcome.reason)
    expect(outcome.report.heldOut.triage.errorsFlagged).toBeGreaterThanOrEqual(0.9)
    expect(outcome.report.heldOut.triage.correctFlagged).toBeLessThan(0.1)
    expect(outcome.report.model.weights.grounding).toBeGreaterThan(0.5)
    expect(bone.confidenceModel?.weights.grounding).toBeCloseTo(
      outcome.report.model.weights.grounding,
      2,
    )
  })
})

describe('perturb', () => {
  it('plants exactly the errors it reports', () => {
    const { gold } = sample('cmr52', '014')
    for (const p of perturb(cmr, gold, { seed: 3, copies: 2, distractors: { LVEF: 29 } })) {
      for (const f of cmr.fields) {
        const changed = p.record[f.key] !== gold[f.key]
        expect(changed, `${f.key} ${JSON.stringify(p.planted)}`).toBe(f.key in p.planted)
      }
    }
  })

  it('swaps only twins that differ in one section-wide word: left/right, native/post-contrast', () => {
    const pairs = swapPairs(cmr)
    expect(pairs).toContainEqual(['LVEDV', 'RVEDV'])
    expect(pairs).toContainEqual(['LAV', 'RAV'])
    expect(pairs).toContainEqual(['PRET1M', 'POSTT1M'])
    expect(pairs).not.toContainEqual(['LVEDV', 'LVESV'])
  })

  it('a typo always changes the value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 2000, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer(),
        (v, d, seed) => {
          const x = Number(v.toFixed(d))
          fc.pre(x > 0)
          expect(typo(x, rng(seed))).not.toBe(x)
        },
      ),
    )
  })
})

describe('fitConfidenceModel', () => {
  it('recovers the direction of a signal that separates right from wrong', () => {
    const r = rng(7)
    const data = Array.from({ length: 2000 }, () => {
      const correct = r() < 0.8
      return {
        signals: { grounding: correct ? 0.7 + 0.3 * r() : 0.3 * r(), distribution: r() },
        isNull: false,
        correct,
      }
    })
    const m = fitConfidenceModel(data)
    expect(m.weights.grounding).toBeGreaterThan(0.5)
    expect(Math.abs(m.weights.distribution)).toBeLessThan(0.3)
  })
})
