import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lexiconAttribution } from '../../../core/evaluation/lexicon-attribution.ts'
import { readLayout } from '../../../core/layout/read.ts'
import { scanText } from '../../../core/text/scan.ts'
import { conversionFactors, tidy } from '../../../core/text/stated-values.ts'
import { composeReport, layouts } from '../../../distill/synth/compose.ts'
import { languages } from '../../../distill/synth/languages.ts'
import type { NumberField } from '../../../schemas/task.ts'
import { task } from '../../helpers.ts'

const cmr = task('cmr52')

/** Every number of the text with its unit and label path as text (kind:words). */
function read(text: string) {
  return scanText(cmr, text).numbers.map((n) => ({
    value: n.value,
    unit: n.unit,
    distractor: n.distractor,
    labels: n.place?.labels.map((l) => `${l.kind}:${text.slice(l.start, l.end)}`) ?? [],
    continued: n.place?.continued ?? false,
  }))
}

const of = (text: string, value: number) => read(text).find((n) => n.value === value)

describe('tables', () => {
  const box = [
    'Volumetry',
    '┌──────────────────────┬───────┬──────┬────────┬──────┐',
    '│ Parameter            │ Unit  │ LV   │ Normal │ RV   │',
    '├──────────────────────┼───────┼──────┼────────┼──────┤',
    '│ End-diastolic volume │ ml    │ 160  │ 77-195 │ 171  │',
    '│                      │ ml/m² │ 82   │ 47-92  │ 88   │',
    '│ EF                   │ %     │ 58   │ 54-74  │ 49   │',
    '└──────────────────────┴───────┴──────┴────────┴──────┘',
  ].join('\n')

  it('reads a cell through its row label, its column header, its unit column and the heading above', () => {
    expect(of(box, 171)).toMatchObject({
      unit: 'mL',
      labels: ['row:End-diastolic volume', 'column:RV', 'heading:Volumetry'],
      continued: false,
    })
  })

  it('a blank row label inherits the row above; the unit cell tells the indexed value', () => {
    expect(of(box, 82)).toMatchObject({
      unit: 'mL/m^2',
      labels: ['row:End-diastolic volume', 'column:LV', 'heading:Volumetry'],
      continued: true,
    })
  })

  it('a reference column is not the measurement', () => {
    expect(of(box, 77)?.distractor).toBeGreaterThan(0.5)
    expect(of(box, 160)?.distractor).toBe(0)
  })

  it.each([
    ['ascii', '+-----+----+----+\n| EDV | LV | RV |\n+-----+----+----+\n| ml  | 160 | 171 |\n'],
    ['rounded', '.-----.----.----.\n| EDV | LV | RV |\n|-----+----+----|\n| ml  | 160 | 171 |\n'],
    ['markdown', '| EDV | LV | RV |\n|---|---|---|\n| ml | 160 | 171 |\n'],
  ])('%s frames: the header names each column', (_name, text) => {
    expect(of(text, 171)?.labels).toContain('column:RV')
    expect(of(text, 160)?.labels).toContain('column:LV')
  })

  it('tabs with an empty label cell and empty cells between', () => {
    const text = '\tUnits\tLV\tPrior LV\tRV\nEDV\tml\t106\t111\t181\n\tml/m2\t50\t\t85\n'
    expect(of(text, 85)).toMatchObject({
      unit: 'mL/m^2',
      labels: ['row:EDV', 'column:RV'],
      continued: true,
    })
    expect(of(text, 111)?.distractor).toBeGreaterThan(0.5) // the prior column
    expect(of(text, 111)?.labels).toContain('column:Prior LV')
  })

  it('columns that only whitespace lines up, the unit in the row label', () => {
    const text = '              LV      RV\nEDV (mL)     246     171\nEF (%)        30      49\n'
    expect(read(text).map((n) => [n.value, n.unit, n.labels[1]])).toEqual([
      [246, 'mL', 'column:LV'],
      [171, 'mL', 'column:RV'],
      [30, '%', 'column:LV'],
      [49, '%', 'column:RV'],
    ])
  })

  it('a deeply indented number continues an aligned table', () => {
    const text =
      'LV stroke volume                    55      ml\n                                    31      mL/m²\nLV EF                               57      %\n'
    expect(of(text, 31)).toMatchObject({
      unit: 'mL/m^2',
      labels: ['row:LV stroke volume'],
      continued: true,
    })
  })

  it('a year in a header names a column, it is no measurement', () => {
    const text = '| Measure | LV | 2023 LV |\n|---|---|---|\n| EF (%) | 57 | 43 |\n'
    expect(of(text, 43)?.distractor).toBeGreaterThan(0.5)
    expect(of(text, 57)?.distractor).toBe(0)
  })
})

describe('headings and keys', () => {
  const scoped = [
    'ATRIA',
    'Left atrium',
    '  Area (4ch): 22 cm²',
    '  Volume: 70 ml',
    'Right atrium',
    '  Area (4ch): 19 cm²',
    '  Volume: 61 ml',
  ].join('\n')

  it('a heading scopes the sub-labels below it until the next heading of its level', () => {
    expect(of(scoped, 22)?.labels).toEqual([
      'key:Area (4ch)',
      'heading:Left atrium',
      'heading:ATRIA',
    ])
    expect(of(scoped, 19)?.labels).toEqual([
      'key:Area (4ch)',
      'heading:Right atrium',
      'heading:ATRIA',
    ])
  })

  it('the same sub-labels under two chambers go to two fields', () => {
    const got = lexiconAttribution(cmr, scanText(cmr, scoped))
    expect([got.LAA4CH, got.RAA4CH, got.LAV, got.RAV]).toEqual([22, 19, 70, 61])
  })

  it('three levels: the phase heading, then the tissue', () => {
    const text =
      'Tissue characterisation\nNative T1\n  Myocardium: 1010 ms\n  Blood pool: 1650 ms\nPost-contrast T1\n  Myocardium: 450 ms\n'
    const got = lexiconAttribution(cmr, scanText(cmr, text))
    expect([got.PRET1M, got.PRET1B, got.POSTT1M]).toEqual([1010, 1650, 450])
  })

  it('label, value and unit on three lines; a unit wrapped onto the next line', () => {
    expect(of('LV ejection fraction\n58\n%\n', 58)).toMatchObject({
      unit: '%',
      labels: ['key:LV ejection fraction'],
    })
    expect(of('LV ejection fraction 58\n%\n', 58)?.unit).toBe('%')
  })

  it('dotted keys read as their words', () => {
    const got = lexiconAttribution(cmr, scanText(cmr, 'LV.EDV=160 mL\nLV.EDV.idx=78 mL/m2\n'))
    expect([got.LVEDV, got.LVEDVI]).toEqual([160, 78])
  })

  it('a pair under one quantity is the value and its index; under blood pressure it is a pair', () => {
    const got = lexiconAttribution(cmr, scanText(cmr, 'lvedv 160/82\nBP: 124 / 80 mmHg\n'))
    expect([got.LVEDV, got.LVEDVI, got.SBP, got.DBP]).toEqual([160, 82, 124, 80])
  })

  it('a key that names nothing of the task says what the number is not', () => {
    const got = lexiconAttribution(cmr, scanText(cmr, 'Sex: F   Age: 58\nLVEF: 61 %\n'))
    expect(Object.values(got).filter((v) => v === 58)).toEqual([])
  })

  it('prose is left to the words around each number', () => {
    expect(
      of('The left ventricle is dilated, with an end-diastolic volume of 268 mL at rest.', 268)
        ?.labels,
    ).toEqual([])
  })

  it('spans point into the original text, past astral characters and superscripts', () => {
    const text = '💓 Report² 🫀\nLeft atrium\n  Area (4ch): 22 cm²\n'
    const place = readLayout(text, scanText(cmr, text).numbers).get(text.indexOf('22'))
    expect(place?.labels.map((l) => text.slice(l.start, l.end))).toEqual([
      'Area (4ch)',
      'Left atrium',
    ])
  })
})

describe('every layout of the corpus yields the printed values as placed statements', () => {
  const numberFields = cmr.fields.filter((f): f is NumberField => f.kind === 'number')
  it('property: each stated gold value is a number the layout placed (prose aside)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...layouts.filter((l) => l !== 'prose')),
        fc.constantFrom(...languages),
        fc.integer({ min: 0, max: 10_000 }),
        (layout, lang, index) => {
          const r = composeReport(cmr, 77, index, { layouts: [layout], langs: [lang] })
          const scan = scanText(cmr, r.text)
          for (const f of numberFields) {
            const gold = r.gold[f.key]
            if (typeof gold !== 'number') continue
            const found = scan.numbers.some(
              (n) =>
                n.place !== undefined &&
                n.place.labels.length > 0 &&
                conversionFactors(f, n).some((k) => Math.abs(tidy(n.value * k, k) - gold) < 1e-6),
            )
            if (!found)
              throw new Error(`${layout}/${lang} #${index}: ${f.key} = ${gold} not placed`)
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
