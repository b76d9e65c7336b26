import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sameFieldValue, stabilityScore } from '../../../core/scoring/stability.ts'

describe('stabilityScore', () => {
  it('is left out with no samples (K = 0), never counted as agreement', () => {
    expect(stabilityScore(60, [], 0)).toBeNaN()
  })

  it('is the share of samples that agree with the chosen value', () => {
    expect(stabilityScore(60, [[60], [60.0], [61]], 0)).toBeCloseTo(2 / 3)
    expect(stabilityScore(null, [[null], [], [61]], 0)).toBeCloseTo(2 / 3)
  })

  it('counts a sample that did not parse against every field', () => {
    expect(stabilityScore(60, [null, [60]], 0)).toBe(0.5)
    expect(stabilityScore(null, [null], 0)).toBe(0)
  })

  it('is k/K for any K and any k agreeing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }), (K, k0) => {
        const k = Math.min(k0, K)
        const samples = Array.from({ length: K }, (_, i) => [i < k ? 5.5 : 6])
        expect(stabilityScore(5.5, samples, 0)).toBeCloseTo(k / K)
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
