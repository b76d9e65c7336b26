import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decimals, halfUlp, sameValue } from '../../core/numbers.ts'

describe('numbers', () => {
  it('decimals counts the digits of the shortest form', () => {
    expect([124, 2.1, 5.12, 0.005, 177.8, 1e-7, 1.5e-7, 0.30000000000000004].map(decimals)).toEqual(
      [0, 1, 2, 3, 1, 7, 8, 17],
    )
  })

  it('decimals agrees with the shortest string for any number', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
        const s = String(Math.abs(v))
        fc.pre(!s.includes('e'))
        expect(decimals(v)).toBe(s.includes('.') ? s.length - s.indexOf('.') - 1 : 0)
      }),
    )
  })

  it('halfUlp is half the last written place; small whole numbers are read as one decimal', () => {
    expect(halfUlp(124)).toBe(0.5)
    expect(halfUlp(5.12)).toBeCloseTo(0.005)
    expect(halfUlp(3)).toBe(0.05)
  })

  it('sameValue compares as written', () => {
    expect(sameValue(2.1, 2.1)).toBe(true)
    expect(sameValue(2.1, 2.11)).toBe(false)
  })
})
