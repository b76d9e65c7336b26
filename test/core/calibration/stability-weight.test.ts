import { describe, expect, it } from 'vitest'
import {
  fitStabilityWeight,
  type StabilityObservation,
} from '../../../core/calibration/stability-weight.ts'
import { defaultConfidenceModel } from '../../../core/scoring/combine.ts'

const model = { ...defaultConfidenceModel, intercept: 0, interceptNull: 0 }
const many = (n: number, o: StabilityObservation) => Array.from({ length: n }, () => o)

describe('fitStabilityWeight', () => {
  it('gives stability weight when disagreement among samples marks the errors', () => {
    const obs = [
      ...many(90, { signals: { grounding: 0.7, stability: 1 }, isNull: false, correct: true }),
      ...many(10, { signals: { grounding: 0.7, stability: 0.34 }, isNull: false, correct: false }),
    ]
    const fit = fitStabilityWeight(model, obs, 0.7)
    expect(fit.weight).toBeGreaterThan(0.5)
    expect(fit.grid.find((g) => g.weight === fit.weight)?.errorsFlagged).toBe(1)
  })

  it('takes the weight away when a student is consistently wrong (its samples agree on its errors)', () => {
    const obs = [
      ...many(60, { signals: { grounding: 0.9, stability: 1 }, isNull: false, correct: true }),
      ...many(40, { signals: { grounding: 0.2, stability: 1 }, isNull: true, correct: false }),
    ]
    const fit = fitStabilityWeight(model, obs, 0.7)
    expect(fit.weight).toBeLessThan(0.3)
    const atOne = fit.grid.find((g) => g.weight === 1)
    const fitted = fit.grid.find((g) => g.weight === fit.weight)
    expect(fitted?.errorsFlagged).toBeGreaterThan(atOne?.errorsFlagged ?? 1)
  })
})
