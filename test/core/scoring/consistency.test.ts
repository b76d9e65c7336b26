import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { halfUlp } from '../../../core/numbers.ts'
import { checkFormulas, consistencyScores } from '../../../core/scoring/consistency.ts'
import { evalInterval } from '../../../core/scoring/interval.ts'
import type { NumberField } from '../../../schemas/index.ts'
import { sample, task } from '../../helpers.ts'

const cmr = task('cmr52')
const field = (k: string) => cmr.fields.find((f) => f.key === k) as NumberField

/** Random values for a formula's right-hand side within each field's limits, at 0-2 decimals. */
function rhsValues(fields: string[]) {
  return fc.tuple(
    ...fields.map((k) => {
      const [lo, hi] = field(k).limits
      return fc
        .tuple(
          fc.double({ min: lo + (hi - lo) * 0.2, max: lo + (hi - lo) * 0.6, noNaN: true }),
          fc.integer({ min: 0, max: 2 }),
        )
        .map(([v, d]) => Number(v.toFixed(d)))
    }),
  )
}

describe('every cmr52 formula', () => {
  cmr.equations.forEach((eq, index) => {
    const [lhs, ...rhs] = eq.fields as [string, ...string[]]
    const pointValue = (vals: Record<string, number>) => {
      const r = evalInterval(eq.right, (k) =>
        k in vals ? [vals[k] as number, vals[k] as number] : undefined,
      )
      return r ? r[0] : Number.NaN
    }

    it(`${eq.source}: holds for values that satisfy it (rounded for display), clearly fails 25 % off`, () => {
      fc.assert(
        fc.property(rhsValues(rhs), fc.integer({ min: 1, max: 3 }), (vals, decimalsShown) => {
          const values: Record<string, number> = Object.fromEntries(
            rhs.map((k, i) => [k, vals[i] as number]),
          )
          const exact = pointValue(values)
          fc.pre(Number.isFinite(exact) && Math.abs(exact) > 0.5)
          // only where the terms' own rounding leaves the result precise to a few per cent
          const range = evalInterval(eq.right, (k) =>
            k in values
              ? [
                  (values[k] as number) - halfUlp(values[k] as number),
                  (values[k] as number) + halfUlp(values[k] as number),
                ]
              : undefined,
          )
          fc.pre(range !== undefined && (range[1] - range[0]) / Math.abs(exact) < 0.04)
          const shown = Number(exact.toFixed(decimalsShown))
          const ok = checkFormulas(cmr, { ...values, [lhs]: shown }).find((c) => c.index === index)
          expect(ok?.score).toBe(1)
          const off = checkFormulas(cmr, {
            ...values,
            [lhs]: Number((exact * 1.25).toFixed(decimalsShown)),
          }).find((c) => c.index === index)
          expect(off?.score).toBeLessThan(0.2)
        }),
        { numRuns: 60 },
      )
    })
  })

  it('a formula with a missing term is not checked', () => {
    expect(
      checkFormulas(cmr, { LVSV: 80, LVEDV: 124 }).map((c) => cmr.equations[c.index]?.source),
    ).not.toContain('LVSV = LVEDV - LVESV')
  })

  it('interval evaluation contains the point value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b, h) => {
          for (const eq of cmr.equations) {
            const i = evalInterval(eq.right, () => [Math.min(a, b) - h, Math.max(a, b) + h])
            const p = evalInterval(eq.right, () => [a, a])
            if (i && p) expect(p[0]).toBeGreaterThanOrEqual(i[0] - 1e-9 * Math.abs(i[0]))
            if (i && p) expect(p[0]).toBeLessThanOrEqual(i[1] + 1e-9 * Math.abs(i[1]))
          }
        },
      ),
    )
  })
})

describe('consistencyScores', () => {
  it('every gold sample is consistent: no field below 0.9', () => {
    for (const id of ['001', '003', '013', '014', '015']) {
      const { gold } = sample('cmr52', id)
      for (const [k, s] of consistencyScores(cmr, checkFormulas(cmr, gold)))
        expect(s, `${id} ${k}`).toBeGreaterThan(0.9)
    }
  })

  it('blames the culprit of a typo, not the bystanders', () => {
    const { gold } = sample('cmr52', '001')
    const scores = consistencyScores(cmr, checkFormulas(cmr, { ...gold, LVEDV: 142 }))
    expect(scores.get('LVEDV')).toBeLessThan(0.05)
    for (const k of ['LVESV', 'LVSV', 'LVEF', 'BSA', 'LVEDVI'])
      expect(scores.get(k), k).toBeGreaterThan(0.5)
  })

  it('scores stay in [0, 1] for any values', () => {
    const keys = cmr.fields.filter((f) => f.kind === 'number').map((f) => f.key)
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { nil: null }), {
          minLength: keys.length,
          maxLength: keys.length,
        }),
        (vals) => {
          const rec = Object.fromEntries(keys.map((k, i) => [k, vals[i] ?? null]))
          for (const s of consistencyScores(cmr, checkFormulas(cmr, rec)).values()) {
            expect(s).toBeGreaterThanOrEqual(0)
            expect(s).toBeLessThanOrEqual(1)
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})
