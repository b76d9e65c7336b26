import { describe, expect, it } from 'vitest'
import { scanText } from '../../../core/text/scan.ts'
import { unitInLabel } from '../../../core/text/units.ts'
import { task } from '../../helpers.ts'

const cmr = task('cmr52')

describe('table columns', () => {
  it('gives each number of a row the chamber of its column header', () => {
    const text =
      'Volumes\n\n              LV      RV\nEDV (mL)     246     171\nEF (%)        30      49\n'
    const cols = scanText(cmr, text).numbers.map((n) => [n.value, n.columnSet?.chamber, n.unit])
    expect(cols).toEqual([
      [246, 'lv', 'mL'],
      [171, 'rv', 'mL'],
      [30, 'lv', '%'],
      [49, 'rv', '%'],
    ])
  })

  it('marks the numbers under a "Prior" header as another exam', () => {
    const text = 'Measurement     Today     Prior (2022)\nLVEF            36 %      29 %\n'
    const d = scanText(cmr, text)
      .numbers.filter((n) => n.value < 100)
      .map((n) => [n.value, n.distractor])
    expect(d).toEqual([
      [36, 0],
      [29, 0.9],
    ])
  })

  it('a row with a measurement and a reference range is not a header', () => {
    const text = 'LV EF [%]: 47.8   (ref 57.0-77.0)\nLV CO [l/min]: 5.40\n'
    expect(scanText(cmr, text).numbers.find((n) => n.value === 5.4)?.distractor).toBe(0)
  })
})

describe('unitInLabel', () => {
  it.each([
    ['LV EDV [ml]: ', 'mL'],
    ['BSA (Mosteller) [m²]: ', 'm^2'],
    ['LV_EDV_ML=', 'mL'],
    ['LV_EDVI_ML_M2=', 'mL/m^2'],
    ['LV_EF_PCT=', '%'],
    ['RV_COI_L_MIN_M2=', 'L/min/m^2'],
    ['LV volume in: ', undefined],
    ['Heart rate: ', undefined],
  ])('%j -> %s', (label, unit) => {
    expect(unitInLabel(label)).toBe(unit)
  })
})
