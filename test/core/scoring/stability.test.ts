import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sameFieldValue, stabilityScore } from '../../../core/scoring/stability.ts'

describe('stabilityScore', () => {
  it('is left out with no samples (K = 0), never counted as agreement', () => {
    expect(stabilityScore('LVEF', 60, [])).toBeUndefined()
  })

  it('is the share of samples that agree with the chosen value', () => {
    expect(stabilityScore('LVEF', 60, [{ LVEF: 60 }, { LVEF: 60.0 }, { LVEF: 61 }])).toBeCloseTo(
      2 / 3,
    )
    expect(stabilityScore('LVEF', null, [{ LVEF: null }, {}, { LVEF: 61 }])).toBeCloseTo(2 / 3)
  })

  it('counts a sample that did not parse against every field', () => {
    expect(stabilityScore('LVEF', 60, [null, { LVEF: 60 }])).toBe(0.5)
    expect(stabilityScore('LVEF', null, [null])).toBe(0)
  })

  it('is k/K for any K and any k agreeing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }), (K, k0) => {
        const k = Math.min(k0, K)
        const samples = Array.from({ length: K }, (_, i) => ({ X: i < k ? 5.5 : 6 }))
        expect(stabilityScore('X', 5.5, samples)).toBeCloseTo(k / K)
      }),
    )
  })

  it('compares numbers as written (124 = 124.0, 5.1 != 5.12) and categories exactly', () => {
    expect(sameFieldValue(124, 124.0)).toBe(true)
    expect(sameFieldValue(5.1, 5.12)).toBe(false)
    expect(sameFieldValue('DCM', 'DCM')).toBe(true)
    expect(sameFieldValue('DCM', null)).toBe(false)
  })
})
