import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GroundingContext } from '../../../core/scoring/grounding.ts'
import { scanText } from '../../../core/text/scan.ts'
import type { NumberField } from '../../../schemas/index.ts'
import { task } from '../../helpers.ts'

const cmr = task('cmr52')
const field = (k: string) => cmr.fields.find((f) => f.key === k) as NumberField
const ground = (text: string, key: string, value: number | null) =>
  new GroundingContext(cmr, scanText(cmr, text)).groundNumber(field(key), value)

// A style of its own: a markdown table with the chamber in a header row.
const table = `| Left ventricle | value |
|---|---|
| End-diastolic volume | 151 mL |
| End-systolic volume | 63 mL |
| Ejection fraction | 58 % |
| Right ventricle | |
| End-diastolic volume | 160 mL |
| Ejection fraction | 52 % |`

describe('grounding a stated value', () => {
  it('finds the number with its evidence span', () => {
    const text = 'Left ventricular ejection fraction: 58 %.'
    const g = ground(text, 'LVEF', 58)
    expect(g.score).toBeGreaterThan(0.8)
    expect(text.slice(g.span?.start, g.span?.end)).toBe('58 %')
  })

  it('uses a section header for the chamber', () => {
    expect(ground(table, 'LVEDV', 151).score).toBeGreaterThan(0.8)
    expect(ground(table, 'RVEDV', 160).score).toBeGreaterThan(0.8)
  })

  it('catches left/right swaps: the number is there, but for the other chamber', () => {
    expect(ground(table, 'LVEDV', 160).score).toBeLessThan(0.2)
    expect(ground(table, 'RVEF', 58).score).toBeLessThan(0.2)
  })

  it('grounds converted values through the unit written in the report', () => {
    expect(ground('LVEDD 48 mm', 'LVEDD', 4.8).score).toBeGreaterThan(0.8)
    expect(ground('Height 70 in, weight 196 lb', 'HEIGHT', 177.8).score).toBeGreaterThan(0.5)
    expect(ground('Height 70 in, weight 196 lb', 'WEIGHT', 88.9).score).toBeGreaterThan(0.5)
  })

  it('catches unit slips: 48 mm copied as 48 cm', () => {
    expect(ground('LVEDD 48 mm', 'LVEDD', 48).score).toBe(0)
  })

  it('catches values from another exam', () => {
    const text = 'RV ejection fraction is 27%, reduced from 34% on the prior CMR.'
    expect(ground(text, 'RVEF', 27).score).toBeGreaterThan(0.8)
    expect(ground(text, 'RVEF', 34).score).toBeLessThan(0.2)
  })

  it('a lone pressure takes its place in the pair from its word: systolic, diastolic', () => {
    const text = 'BP, diastolic: 71 mmHg\nBP, systolic: 133 mmHg'
    expect(ground(text, 'DBP', 71).score).toBeGreaterThan(0.8)
    expect(ground(text, 'SBP', 133).score).toBeGreaterThan(0.8)
    expect(ground(text, 'SBP', 71).score).toBeLessThan(0.2)
    expect(ground('Blutdruck diastolisch: 71 mmHg', 'DBP', 71).score).toBeGreaterThan(0.8)
  })

  it('a key with numbers of its own names the value after it', () => {
    expect(
      ground('T1 myocardium post contrast (20 min): 455 ms', 'POSTT1M', 455).score,
    ).toBeGreaterThan(0.8)
    expect(ground('LA-Fläche 2-Kammerblick: 21 cm2', 'LAA2CH', 21).score).toBeGreaterThan(0.8)
  })

  it('a label naming what the task does not read is not the field: "LGE mass", "T2 myocardium"', () => {
    expect(ground('Scar (LGE) mass: 17 g', 'RVMASS', 17).score).toBeLessThan(0.3)
    expect(ground('LGE-Masse: 17 g', 'LVMASS', 17).score).toBeLessThan(0.3)
    expect(ground('RV mass: 17 g', 'RVMASS', 17).score).toBeGreaterThan(0.8)
  })

  it('a key that heads a list names the group, not its first value; a lone key still says "not a field"', () => {
    const text = 'Body data: 181 cm / 92 kg, pulse 61 bpm'
    expect(ground(text, 'HEIGHT', 181).score).toBeGreaterThan(0.4)
    expect(ground(text, 'HEIGHT', null).score).toBeLessThan(0.7)
    expect(ground('Tumour size: 181 cm', 'HEIGHT', 181).score).toBeLessThan(0.3)
  })

  it('never grounds a value on a reference range', () => {
    expect(ground('LV ejection fraction 65 % (ref 54-78)', 'LVEF', 54).score).toBe(0)
  })

  it('scores a value that is nowhere in the text 0', () => {
    expect(ground(table, 'LVEF', 85).score).toBe(0)
  })

  it('tells an indexed volume from an absolute one by its unit', () => {
    const text = 'The RV end-diastolic volume is 268 mL (139 mL/m2).'
    expect(ground(text, 'RVEDVI', 139).score).toBeGreaterThan(0.5)
    expect(ground(text, 'RVEDV', 139).score).toBe(0)
  })

  it('property: a value written after its field name in a key: value line is grounded at that span', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('LVEF', 'RVEF', 'LVEDV', 'RVESV', 'LVMASS', 'BHR'),
        fc.double({ min: 0.2, max: 0.8, noNaN: true }),
        fc.integer({ min: 0, max: 1 }),
        (key, t, d) => {
          const f = field(key)
          const v = Number((f.limits[0] + t * (f.limits[1] - f.limits[0])).toFixed(d))
          const prefix = `Findings.\n${key}: `
          const text = `${prefix}${v} ${f.unit}\n`
          const g = ground(text, key, v)
          expect(g.score).toBeGreaterThan(0.5)
          expect(g.span?.start).toBe(prefix.length)
        },
      ),
    )
  })
})

describe('grounding a null (omission check)', () => {
  it('a field the report states but the record left null scores low, pointing at the number', () => {
    const text = 'LV ejection fraction 58 %. RV ejection fraction 52 %.'
    const g = ground(text, 'RVEF', null)
    expect(g.score).toBeLessThan(0.3)
    expect(text.slice(g.span?.start, g.span?.end)).toBe('52 %')
  })

  it('a field the report does not state scores 1', () => {
    expect(ground(table, 'LVMASS', null)).toEqual({ score: 1 })
  })

  it('a prior exam value is no evidence of an omission', () => {
    expect(ground('Previous echo: LVEF 45 %.', 'LVEF', null).score).toBeGreaterThan(0.8)
  })
})
