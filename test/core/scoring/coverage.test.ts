import { describe, expect, it } from 'vitest'
import { scoreRecord } from '../../../core/scoring/index.ts'
import { findMarkup } from '../../../core/text/markup.ts'
import { renderUnread, unreadKinds } from '../../../distill/synth/unread.ts'
import type { TaskRecord } from '../../../schemas/record.ts'
import { ids, sample, task } from '../../helpers.ts'

const cmr = task('cmr52')
const cxr = task('cxr14')
const bone = task('bonemets3')
const codes = (r: ReturnType<typeof scoreRecord>) => r.report.coverage?.reasons.map((x) => x.code)
const sure = (r: ReturnType<typeof scoreRecord>) =>
  Object.entries(r.confidence).filter(([, c]) => c >= r.threshold)

describe('coverage: what the reading did not read', () => {
  it('leaves the reports it reads alone: no sample is flagged as a whole', () => {
    for (const id of ids(24)) {
      const { text, gold } = sample('cmr52', id)
      const c = scoreRecord(cmr, { values: gold, text }).report.coverage
      expect(c?.whole, id).toBe(false)
      expect(c?.confidence, id).toBeGreaterThan(0.7)
      expect(c?.language, id).toBe('en')
    }
  })

  it('flags a report in a language the task does not serve as a whole: no value is sure', () => {
    const text =
      'Vänster kammare är lätt dilaterad med nedsatt systolisk funktion och ejektionsfraktionen ' +
      'beräknas till 35 procent. Höger kammare har normal storlek och funktion. Inga tecken på ' +
      'ärrvävnad efter kontrastmedel. Förmaken är normalstora och perikardiet är utan anmärkning.'
    const r = scoreRecord(cmr, { values: { LVEF: 35 }, text })
    expect(r.report.coverage).toMatchObject({ whole: true, language: 'sv' })
    expect(r.report.coverage?.reasons[0]?.detail).toBe('language not served: sv')
    expect(sure(r)).toEqual([])
  })

  it('reads the script: Japanese is not served by bonemets3, and its group is never sure', () => {
    const text =
      '【所見】胸椎Th12に溶骨性病変を認め、前回と比較して増大しています。骨転移の増悪と考えます。' +
      '肝臓に新出の結節はありません。'
    const r = scoreRecord(bone, { values: { group: 2 }, text })
    expect(r.report.coverage).toMatchObject({ whole: true, language: 'ja' })
    expect(r.confidence.group).toBeLessThan(r.threshold)
  })

  it('names undecoded structure, and keeps every null under the threshold', () => {
    const text = 'LV EDV¤196¤mL ‡ LV ESV¤80¤mL ‡ LVEF¤59¤% ‡ RV EDV¤180¤mL ‡ RV EF¤55¤%'
    const r = scoreRecord(cmr, { values: {}, text })
    expect(codes(r)).toContain('markup-not-decoded')
    expect(r.report.coverage?.reasons.map((x) => x.detail).join()).toMatch(/unknown separators/)
    expect(r.report.coverage?.whole).toBe(true)
    expect(sure(r)).toEqual([])
  })

  it('a decoded HL7 message is read, not flagged as undecoded', () => {
    const text = [
      'MSH|^~\\&|CVIS|HOSP|RIS|HOSP|20240101||ORU^R01|M1|P|2.5',
      'OBX|1|NM|LVEDV^LV end-diastolic volume^99CMR||196|mL|81-205|N|||F',
      'OBX|2|NM|LVEF^LV ejection fraction^99CMR||50|%|50-78|N|||F',
    ].join('\r')
    const r = scoreRecord(cmr, { values: { LVEDV: 196, LVEF: 50 }, text })
    expect(r.report.format).toBe('hl7')
    expect(codes(r)).not.toContain('markup-not-decoded')
    expect(r.confidence.LVEDV).toBeGreaterThan(0.7)
  })

  it('doubts a null whose name sits beside a number no value used', () => {
    const text = 'LV end-diastolic volume 150 mL. LV ejection fraction 55 %.'
    const missed = scoreRecord(cmr, { values: { LVEDV: 150 }, text })
    const read = scoreRecord(cmr, { values: { LVEDV: 150, LVEF: 55 }, text })
    expect(missed.signals.LVEF?.coverage).toBeLessThan(0.5)
    expect(codes(missed)).toContain('measurements-not-read')
    expect(missed.confidence.LVEF).toBeLessThan(missed.threshold)
    expect(read.report.coverage?.reasons).toEqual([])
    // a field nothing names keeps full coverage
    expect(missed.signals.RVEF?.coverage).toBe(missed.report.coverage?.confidence)
  })

  it('never trusts a record read off bare numbers', () => {
    const text = '184 cm\n56 kg\n150 mL\n70 mL\n80 mL\n53 %\n120 g'
    const values: TaskRecord = { HEIGHT: 184, WEIGHT: 56, LVEDV: 150, RVEDV: 70, LVSV: 80 }
    const r = scoreRecord(cmr, { values, text })
    expect(codes(r)).toContain('values-unnamed')
    expect(r.report.coverage?.whole).toBe(true)
    for (const k of ['LVEDV', 'RVEDV', 'LVSV', 'LVEF']) expect(r.confidence[k]).toBeLessThan(0.7)
  })

  it('a label decided against every mention of it is never sure', () => {
    const text = 'FINDINGS: Heart size normal. No pneumothorax. No pleural effusion.'
    const r = scoreRecord(cxr, { values: { Pneumothorax: 'positive' }, text })
    expect(r.confidence.Pneumothorax).toBeLessThan(r.threshold)
    const agreed = scoreRecord(cxr, { values: { Pneumothorax: 'negative' }, text })
    expect(agreed.confidence.Pneumothorax).toBeGreaterThan(r.confidence.Pneumothorax as number)
  })

  it('flags every rendering made to be unread of a sample as a whole when words are gone', () => {
    const { text, gold } = sample('cmr52', '002')
    for (const kind of ['invented-words', 'invented-markup', 'unknown-delimiters'] as const) {
      const r = scoreRecord(cmr, { values: gold, text: renderUnread(kind, text, 7) })
      expect(r.report.coverage?.whole, kind).toBe(true)
    }
  })
})

describe('undecoded markup', () => {
  it('finds tags, JSON keys, semicolon exports, a wide CSV and unknown separators', () => {
    const kinds = (t: string) => findMarkup(t).map((m) => m.kind)
    expect(kinds('<table><tr><td>LVEF</td><td>55 %</td></tr></table>')).toEqual(['tags'])
    expect(kinds('{"LV": {"EDV": 1, "ESV": 2, "EF": 3, "SV": 4}}')).toEqual(['json'])
    expect(kinds('name;value;unit\nLVEDV;150;ml\nLVESV;60;ml\n')).toEqual(['delimited'])
    expect(kinds('h,w,lvedv,lvesv,lvef,rvef\n184,56,150,60,60,55\n')).toEqual(['delimited'])
    expect(kinds('LV EDV¤150¤ml ‡ LV ESV¤60¤ml ‡ LVEF¤60¤%')).toEqual(['separators'])
  })

  it('leaves prose, tab and boxed tables and Japanese punctuation to the layout stage', () => {
    const kinds = (t: string) => findMarkup(t).map((m) => m.kind)
    expect(kinds('LV EDV\t150\tml\nLV ESV\t60\tml\nLVEF\t60\t%')).toEqual([])
    expect(
      kinds('┌──────┬─────┐\n│ LVEF │ 55 │\n├──────┼─────┤\n│ RVEF │ 50 │\n└──────┴─────┘'),
    ).toEqual([])
    expect(
      kinds('Normal size, normal function, no LGE.\nMild MR, trivial TR, no effusion.'),
    ).toEqual([])
    expect(kinds('胸椎に溶骨性病変を認めます。「増大」、前回と比較して。')).toEqual([])
  })
})

describe('renderings made to be unread', () => {
  const { text } = sample('cmr52', '001')
  const numbers = (t: string) => (t.match(/\d+(?:\.\d+)?/g) ?? []).sort()
  it('change the text, deterministically per seed', () => {
    for (const kind of unreadKinds) {
      const a = renderUnread(kind, text, 3)
      expect(a, kind).not.toBe(text)
      expect(renderUnread(kind, text, 3), kind).toBe(a)
    }
  })
  it('keep every number where they break only the words or the order', () => {
    for (const kind of ['invented-words', 'scrambled-sections', 'unknown-delimiters'] as const)
      expect(numbers(renderUnread(kind, text, 3)), kind).toEqual(numbers(text))
  })
})
