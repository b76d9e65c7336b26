import { describe, expect, it } from 'vitest'
import { reviewerLoad } from '../../../core/evaluation/metrics.ts'

const v = (confidence: number, correct: boolean) => ({ confidence, correct })

describe('reviewer load', () => {
  it('is 0 when the values are already 99.5 % right', () => {
    const xs = [...Array.from({ length: 199 }, () => v(0.9, true)), v(0.95, false)]
    expect(reviewerLoad(xs)).toBe(0)
  })

  it('opens lowest confidence first until the errors left are within 0.5 %', () => {
    // 1,000 values, 10 wrong at the lowest confidence: opening those 10 is enough (5 allowed left)
    const xs = [
      ...Array.from({ length: 10 }, () => v(0.1, false)),
      ...Array.from({ length: 990 }, () => v(0.9, true)),
    ]
    expect(reviewerLoad(xs)).toBeCloseTo(5 / 1000, 6)
  })

  it('errors hidden at high confidence make the reviewer open almost everything', () => {
    const xs = [
      ...Array.from({ length: 990 }, () => v(0.5, true)),
      ...Array.from({ length: 10 }, () => v(0.99, false)),
    ]
    expect(reviewerLoad(xs)).toBeCloseTo(995 / 1000, 6)
  })

  it('ties are opened right values first: equal confidence earns no credit', () => {
    const xs = [
      ...Array.from({ length: 10 }, () => v(0.5, false)),
      ...Array.from({ length: 990 }, () => v(0.5, true)),
    ]
    expect(reviewerLoad(xs)).toBeCloseTo(995 / 1000, 6)
  })
})
