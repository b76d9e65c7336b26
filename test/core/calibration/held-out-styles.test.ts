import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { observe } from '../../../core/calibration/calibrate.ts'
import { combine } from '../../../core/scoring/combine.ts'
import { scoreRecord } from '../../../core/scoring/index.ts'
import { root, task } from '../../helpers.ts'

// Report styles the calibration never saw (see test/fixtures/cmr52-styles/README.md).
const cmr = task('cmr52')
const dir = join(root, 'test', 'fixtures', 'cmr52-styles')
const reports = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => {
    const id = f.replace('.txt', '')
    return {
      id,
      text: readFileSync(join(dir, f), 'utf8'),
      gold: JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')),
    }
  })

describe('held-out report styles with the shipped model', () => {
  it('has five styles to check', () => {
    expect(reports).toHaveLength(5)
  })

  it.each(reports.map((r) => [r.id, r]))(
    '%s: the gold record has at most one flagged field',
    (_, r) => {
      expect(scoreRecord(cmr, { values: r.gold, text: r.text }).flagged.length).toBeLessThanOrEqual(
        1,
      )
    },
  )

  it('flags at least 90 % of planted errors and under 5 % of right values', () => {
    const model = cmr.confidenceModel
    if (!model) throw new Error('cmr52 ships without a fitted model')
    const obs = observe(cmr, reports, { seed: 11, copies: 3 })
    const flagged = (xs: typeof obs) =>
      xs.filter((o) => combine(model, o.signals, o.isNull) < cmr.triageThreshold).length / xs.length
    expect(flagged(obs.filter((o) => o.error))).toBeGreaterThanOrEqual(0.9)
    expect(flagged(obs.filter((o) => !o.error))).toBeLessThan(0.05)
  })

  it('reads the column of a two-column LV | RV table', () => {
    const r = reports.find((x) => x.id === 'e03')
    if (!r) throw new Error('e03 missing')
    const swapped = scoreRecord(cmr, { values: { ...r.gold, LVEF: 49, RVEF: 30 }, text: r.text })
    expect(swapped.flagged).toEqual(expect.arrayContaining(['LVEF', 'RVEF']))
  })

  it('treats a "Prior" column as another exam', () => {
    const r = reports.find((x) => x.id === 'e05')
    if (!r) throw new Error('e05 missing')
    expect(scoreRecord(cmr, { values: { ...r.gold, LVEF: 29 }, text: r.text }).flagged).toContain(
      'LVEF',
    )
  })
})
