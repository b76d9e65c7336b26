import { describe, expect, it } from 'vitest'
import { settleByNames } from '../../../core/extraction/settle-numbers.ts'
import { scanText } from '../../../core/text/scan.ts'
import { task } from '../../helpers.ts'

const cmr = task('cmr52')
const reading = (values: Record<string, number | null>, probability: Record<string, number>) => ({
  values: { ...values },
  probability: { ...probability },
  evidence: {},
})

describe('a number the report names plainly fills what the student left empty', () => {
  it('fills LVEF from "LVEF 73 %" after a line of vitals, with the student doubt as probability', () => {
    const text = 'CMR. Height 184 cm, weight 56 kg, heart rate 91 bpm. LVEF 73 %. LV EDV 150 ml.'
    const r = reading({ HEIGHT: 184, WEIGHT: 56, BHR: 91, LVEDV: 150, LVEF: null }, { LVEF: 0.62 })
    expect(settleByNames(cmr, scanText(cmr, text), r)).toEqual(['LVEF'])
    expect(r.values.LVEF).toBe(73)
    expect(r.probability.LVEF).toBeCloseTo(0.38, 5)
    expect(
      text.slice(
        (r.evidence as Record<string, { start: number; end: number }>).LVEF?.start,
        (r.evidence as Record<string, { start: number; end: number }>).LVEF?.end,
      ),
    ).toBe('73 %')
  })

  it('leaves alone a prior, a reference range, a number another value used and a bare number', () => {
    const text =
      'Echo 2019: LVEF 45 %. Normal LVEF 57-77 %. LV EDV 150 ml. Ejection fraction 150. RVEF 55 %.'
    const r = reading({ LVEDV: 150, RVEF: 55, LVEF: null }, { LVEF: 0.9 })
    expect(settleByNames(cmr, scanText(cmr, text), r)).toEqual([])
    expect(r.values.LVEF).toBeNull()
  })
})
