import { describe, expect, it } from 'vitest'
import { scanText } from '../../../core/text/scan.ts'
import { task } from '../../helpers.ts'

const cmr = task('cmr52')
const numbers = (text: string) =>
  scanText(cmr, text).numbers.map((n) => ({
    v: n.value,
    unit: n.unit,
    d: n.distractor,
    pair: n.pairIndex,
  }))

describe('scanText numbers', () => {
  it('reads units after numbers, in any common spelling', () => {
    expect(
      numbers(
        'EDV 124 mL, index 74 ml/m², mass 78 g (47 g/m2), CO 5.12 l/min, HR 64 bpm, T1 985 msec',
      ).map((n) => n.unit),
    ).toEqual(['mL', 'mL/m^2', 'g', 'g/m^2', 'L/min', 'bpm', 'ms'])
  })

  it('reads a unit written in the label: "LV EDV [ml]: 176.4"', () => {
    expect(numbers('LV EDV [ml]: 176.4\nLVEDD [mm]: 56')).toMatchObject([
      { v: 176.4, unit: 'mL' },
      { v: 56, unit: 'mm' },
    ])
  })

  it('reads decimal commas and thousands separators', () => {
    expect(numbers('LVEDD 4,8 cm; NT-proBNP 1,450 ng/L').map((n) => n.v)).toEqual([4.8, 1450])
  })

  it('marks both ends of a range as a distractor', () => {
    expect(numbers('LVEF 65 % (ref 54-78)')).toMatchObject([
      { v: 65, d: 0 },
      { v: 54, d: 1 },
      { v: 78, d: 1 },
    ])
  })

  it('marks a number in a clause about a prior or other exam', () => {
    expect(numbers('ejection fraction of 27%, reduced from 34% on the prior CMR')).toMatchObject([
      { v: 27, d: 0 },
      { v: 34, d: 0.9 },
    ])
    expect(numbers('On echocardiography last year the septum was 17 mm.')).toMatchObject([
      { v: 17, d: 0.9 },
    ])
  })

  it('keeps a bracketed date inside the heading it belongs to: "Prior echo (2021): LVEF 60 %"', () => {
    expect(numbers('LVEF 48 %.\nPrior echo (2021): LVEF 60 %.')).toMatchObject([
      { v: 48, d: 0 },
      { v: 2021, d: 0.9 },
      { v: 60, d: 0.9 },
    ])
    // a bracket that is not a heading still closes its clause
    expect(numbers('LVEF 55 % (echo 2019: 60 %), RVEF 50 %')).toMatchObject([
      { v: 55, d: 0 },
      { v: 2019, d: 0.9 },
      { v: 60, d: 0.9 },
      { v: 50, d: 0 },
    ])
  })

  it('reads a blood pressure as a pair sharing its unit', () => {
    expect(numbers('BP 116/72 mmHg')).toEqual([
      { v: 116, unit: 'mmHg', d: 0, pair: 0 },
      { v: 72, unit: 'mmHg', d: 0, pair: 1 },
    ])
  })

  it('takes "in" as inches only when it is not the preposition', () => {
    expect(numbers('Height 68 in, weight 172 lb').map((n) => n.unit)).toEqual(['in', 'lb'])
    expect(numbers('9 mm in the basal wall; 12 in the apex').map((n) => n.unit)).toEqual([
      'mm',
      undefined,
    ])
  })

  it('skips digits that belong to words: T1, 2-chamber, 3 T is kept as a number with another unit', () => {
    expect(
      numbers('Native T1 985 ms; LA area 2-chamber 17 cm2; 3 T scanner').map((n) => [n.v, n.unit]),
    ).toEqual([
      [985, 'ms'],
      [17, 'cm^2'],
      [3, 'other'],
    ])
  })

  it('does not read a dot leader as a sentence end', () => {
    const s = scanText(cmr, 'Height ........ 165 cm')
    expect(s.sentenceStarts).toEqual([0])
  })
})
