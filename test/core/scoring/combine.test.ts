import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { combine, defaultConfidenceModel, signalNames } from '../../../core/scoring/combine.ts'
import { task } from '../../helpers.ts'

const model = task('cmr52').confidenceModel ?? defaultConfidenceModel
const signal = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined })

describe('combine', () => {
  it('is in (0, 1) and never falls when one signal rises', () => {
    fc.assert(
      fc.property(
        fc.tuple(signal, signal, signal, signal),
        fc.constantFrom(...signalNames),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (s, name, up, isNull) => {
          const signals = Object.fromEntries(
            signalNames.map((n, i) => [n, s[i]]).filter(([, v]) => v !== undefined),
          )
          const c = combine(model, signals, isNull)
          expect(c).toBeGreaterThan(0)
          expect(c).toBeLessThan(1)
          const base = signals[name]
          if (base === undefined) return
          const higher = combine(model, { ...signals, [name]: base + (1 - base) * up }, isNull)
          expect(higher).toBeGreaterThanOrEqual(c - 1e-12)
        },
      ),
    )
  })

  it('a missing signal is left out, not counted as agreement', () => {
    // (with a stability weight above 0: the shipped student's fitted weight is 0)
    const m = { ...model, weights: { ...model.weights, stability: 1 } }
    const without = combine(m, { grounding: 0.9 }, false)
    const withStable = combine(m, { grounding: 0.9, stability: 1 }, false)
    expect(withStable).toBeGreaterThan(without)
  })

  it('ungrounded values fall below the threshold, grounded consistent ones stay above', () => {
    expect(combine(model, { distribution: 1, consistency: 1, grounding: 0 }, false)).toBeLessThan(
      0.7,
    )
    expect(
      combine(model, { distribution: 1, consistency: 1, grounding: 1 }, false),
    ).toBeGreaterThan(0.9)
  })

  it('omissions can fall below 0.8 (the paper could never flag one)', () => {
    expect(combine(model, { grounding: 0.1 }, true)).toBeLessThan(0.7)
  })
})
