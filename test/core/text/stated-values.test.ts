import { describe, expect, it } from 'vitest'
import { scanText } from '../../../core/text/scan.ts'
import { statedValues } from '../../../core/text/stated-values.ts'
import { recordGrammar } from '../../../schemas/grammar.ts'
import { task } from '../../helpers.ts'

const cmr = task('cmr52')
const stated = (text: string) => statedValues(cmr, scanText(cmr, text))

describe('statedValues', () => {
  it('converts written units to the field unit and keeps what the limits allow', () => {
    const v = stated('LV end-diastolic diameter 52 mm. LVEF 57 % (normal 54-74 %). Height 5,9 ft')
    expect(v.get('LVEDD')).toContain(5.2)
    expect(v.get('LVEF')).toContain(57)
    // reference ranges are never a measurement
    expect(v.get('LVEF')).not.toContain(54)
    expect(v.get('LVEF')).not.toContain(74)
    // 52 mm is not a plausible ejection fraction unit-wise, 57 % is no diameter
    expect(v.get('LVEDD')).not.toContain(57)
  })

  it('takes the right half of a blood pressure pair', () => {
    const v = stated('BP 128/76 mmHg')
    expect(v.get('SBP')).toEqual([128])
    expect(v.get('DBP')).toEqual([76])
  })

  it('lists nothing for a field the report cannot state', () => {
    expect(stated('No numbers here.').get('LVEF')).toEqual([])
  })
})

describe('recordGrammar with allowed numbers', () => {
  it('offers exactly the stated values or null for a number field', () => {
    const g = recordGrammar(cmr, new Map([['LVEF', [55, 57.5]]]))
    expect(g).toMatch(/"\\"LVEF\\":" \("55" \| "57.5" \| "null"\)/)
    expect(g).toMatch(/"\\"LVEDV\\":" \(num \| "null"\)/)
  })
})
