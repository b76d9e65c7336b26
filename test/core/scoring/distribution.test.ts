import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { distributionScore, outsideLimitsScore } from '../../../core/scoring/distribution.ts'
import type { NumberField } from '../../../schemas/index.ts'
import { task } from '../../helpers.ts'

const fields = task('cmr52').fields.filter((f): f is NumberField => f.kind === 'number')
const f = (k: string) => fields.find((x) => x.key === k) as NumberField
const sex = fc.constantFrom('male' as const, 'female' as const, undefined)

describe('distributionScore', () => {
  it('is in (0, 1] for every field, value and sex', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.double({ min: -1e5, max: 1e5, noNaN: true }),
        sex,
        (field, v, s) => {
          const d = distributionScore(field, v, s)
          expect(d).toBeGreaterThan(0)
          expect(d).toBeLessThanOrEqual(1)
        },
      ),
    )
  })

  it('never rises as a value moves away from the mean', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fields.filter((x) => x.reference)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (field, a, b) => {
          const n = field.reference?.male ?? field.reference?.any
          if (!n) return
          const near = n.mean + Math.min(a, b) * 8 * n.sd
          const far = n.mean + Math.max(a, b) * 8 * n.sd
          expect(distributionScore(field, far, 'male')).toBeLessThanOrEqual(
            distributionScore(field, near, 'male') + 1e-12,
          )
        },
      ),
    )
  })

  it('is 1 within two SD and tolerates disease: an LVEF of 22 % is unusual, not impossible', () => {
    expect(distributionScore(f('LVEF'), 60, 'male')).toBe(1)
    const dcm = distributionScore(f('LVEF'), 22, 'male')
    expect(dcm).toBeGreaterThan(0.03)
    expect(dcm).toBeLessThan(0.5)
  })

  it('uses the sex: an LVEDV of 200 mL is normal for a man and large for a woman', () => {
    expect(distributionScore(f('LVEDV'), 200, 'male')).toBe(1)
    expect(distributionScore(f('LVEDV'), 200, 'female')).toBeLessThan(0.9)
    expect(distributionScore(f('LVEDV'), 200, undefined)).toBe(1)
  })

  it('scores a unit slip outside the limits as implausible (48 cm for an LV diameter)', () => {
    expect(distributionScore(f('LVEDD'), 48, 'male')).toBe(outsideLimitsScore)
    expect(distributionScore(f('HEIGHT'), 70, 'male')).toBe(outsideLimitsScore)
  })

  it('fields without a reference score on limits alone', () => {
    expect(distributionScore(f('LAV'), 80, 'female')).toBe(1)
  })
})
