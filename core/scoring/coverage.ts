/**
 * Coverage: what the reading of a report did not read. Every other signal judges the value that
 * was chosen; an omission has none to judge, and on a format or language the reader never saw,
 * omissions are most of the errors. Computed from the one reading of the report (its numbers with
 * the fields their words name, the record's use of them, the language and the undecoded markup):
 * - measurements not read: a number whose words name a field, used by no value;
 * - unexplained numbers: a number whose unit and size fit some field, not a reference, prior,
 *   range or other exam's value, named by nothing and used by nothing;
 * - values unnamed: stated values whose number no word of the field names (grounded by their
 *   unit alone, or not at all): a record read off bare numbers;
 * - unread text: the language (not served), the share of words the task cannot account for, and
 *   markup or delimiters the reading did not decode.
 * Each gives the report a doubt with a reason; the report's coverage confidence is the product of
 * (1 - doubt). A field's coverage signal is that confidence times its own (a null whose name sits
 * beside an unused number); it enters the calibrated pool beside the other signals. A report
 * flagged as a whole (coverage under one half) has no sure value except one a label grounds.
 */
import type { FieldValue } from '../../schemas/record.ts'
import type { Field, Task } from '../../schemas/task.ts'
import { readLanguage } from '../text/language.ts'
import { findMarkup, type MarkupFound, markupNames } from '../text/markup.ts'
import type { ScannedText } from '../text/scan.ts'
import type { NumbersRead } from './grounding.ts'

export const coverageCodes = [
  'language-not-served',
  'words-not-read',
  'markup-not-decoded',
  'measurements-not-read',
  'numbers-unexplained',
  'values-unnamed',
] as const
export type CoverageCode = (typeof coverageCodes)[number]

export interface CoverageReason {
  code: CoverageCode
  /** For people: "4 measurements not read", "language not served: ja". No report text. */
  detail: string
  /** How much this reason takes from the report's coverage, in [0, 1]. */
  doubt: number
}

export interface ReportCoverage {
  /** In [0, 1]: the chance the reading covered what the report states; prod(1 - doubt). */
  confidence: number
  /** Flagged as a whole: no value is sure unless a label grounds it. */
  whole: boolean
  reasons: CoverageReason[]
  /** ISO 639-1 code of the text's language where it could be told (null: too little text). */
  language: string | null
  /** Numbers that fit some field: used by a value, named but unused, explained as nothing. */
  numbers: { used: number; notRead: number; unexplained: number }
  /** Share of the words the task's phrases or the served languages' function words account for. */
  knownWords: number
}

export interface Coverage {
  report: ReportCoverage
  /** Per field (task order): the coverage signal in [0, 1]. */
  field: number[]
  /** Character ranges inside structure the reading did not decode: a label there names nothing. */
  undecoded: { start: number; end: number }[]
}

/** Report coverage under this flags the report as a whole. */
export const wholeReportThreshold = 0.5

/** Doubt from words the task cannot account for: none above `wordsRead`, all at `wordsUnread`. */
const wordsRead = 0.45
const wordsUnread = 0.15
/** Fewer words than this say nothing about the language (a table of abbreviations). */
const minWords = 12

/** Label score at which a number's words name a field: above the 0.5 that a unit and size
 * shared by several fields give every one of them. */
const namedLabel = 0.6
/** Doubt per measurement named and not read; from unexplained numbers, none up to
 * `unexplainedFree` of the numbers that fit a field, all at `unexplainedAll` (read off the
 * samples and the compositional corpus, where at most a fifth of them are unexplained: another
 * exam's measurements such as TAPSE, and the fit set's renderings). */
const perMissedMeasurement = 0.1
const unexplainedFree = 0.2
const unexplainedAll = 0.4
/** Doubt from stated values no label grounds: none up to `unnamedFree` of them, all at `unnamedAll`. */
const unnamedFree = 0.25
const unnamedAll = 0.6
/** Grounding under which a stated value stands on no name of its own. */
const namedGrounding = 0.5

/** Delimited rows and separators whose numbers the layout stage placed in a table were read
 * (a semicolon table, say); tags, HL7 segments and JSON have no reader in the layout stage. */
function decodedByLayout(m: MarkupFound, numbers: NumbersRead['numbers']): boolean {
  if (m.kind !== 'delimited' && m.kind !== 'separators') return false
  let inside = 0
  let placed = 0
  for (const n of numbers) {
    if (!m.ranges.some((r) => n.start >= r.start && n.start < r.end)) continue
    inside++
    if (n.place?.table) placed++
  }
  return inside > 0 && placed >= 0.6 * inside
}

function pushReason(reasons: CoverageReason[], code: CoverageCode, doubt: number, detail: string) {
  if (doubt > 0.005) reasons.push({ code, detail, doubt: Number(doubt.toFixed(3)) })
}

export function coverageOf(
  task: Task,
  scanned: ScannedText,
  read: NumbersRead,
  values: readonly FieldValue[],
  grounding: readonly number[],
): Coverage {
  const fields = task.fields
  const n = fields.length
  const { numbers, bestLabel, bestField, fieldCount, used } = read

  // named but not read, per field; unexplained numbers that fit some field
  const missed = new Float64Array(n)
  let usedCount = 0
  let notRead = 0
  let unexplained = 0
  let bare = 0
  const unexplainedFor = new Float64Array(n)
  // each null number field's label scores, looked up once (not once per number)
  const nullLabels: [number, Float64Array][] = []
  for (let fi = 0; fi < n; fi++) {
    const f = fields[fi] as Field
    const labels = read.labels.get(f.key)
    if (f.kind === 'number' && (values[fi] ?? null) === null && labels)
      nullLabels.push([fi, labels])
  }
  for (let i = 0; i < numbers.length; i++) {
    const m = numbers[i] as (typeof numbers)[number]
    if ((fieldCount[i] as number) === 0 || m.inRange || m.unit === 'other') continue
    if (m.distractor >= 0.5 || (m.place && m.place.role !== 'value')) continue
    // a bare number with no unit and no place is weak evidence (a list marker, a count): it
    // counts half, and only against the report
    if (m.unit === undefined && !m.place) {
      if (!used.has(i)) bare++
      continue
    }
    if (used.has(i)) {
      usedCount++
      continue
    }
    const label = bestLabel[i] as number
    const fi = bestField[i] as number
    if (label >= namedLabel && fi >= 0) {
      // a second number for a field that has a value is a prior, a restatement or a rival,
      // which the value's own grounding judges; a name with a number and no value is a miss
      if ((values[fi] ?? null) !== null) continue
      notRead++
      missed[fi] = Math.max(missed[fi] as number, label * (1 - m.distractor))
    } else {
      unexplained++
      // doubt on every null field the number could be, by its unit and size
      if (m.unit === undefined) continue
      for (const [fj, labels] of nullLabels)
        if ((labels[i] as number) > 0) unexplainedFor[fj] = (unexplainedFor[fj] as number) + 1
    }
  }

  const reasons: CoverageReason[] = []
  const lang = readLanguage(task, scanned.text)
  if (!lang.served)
    pushReason(reasons, 'language-not-served', 0.95, `language not served: ${lang.language}`)
  else if (lang.words >= minWords && lang.knownShare < wordsRead) {
    const doubt = Math.min(1, (wordsRead - lang.knownShare) / (wordsRead - wordsUnread))
    pushReason(
      reasons,
      'words-not-read',
      0.9 * doubt,
      `${Math.round(100 * (1 - lang.knownShare))} % of words not read`,
    )
  }
  const undecoded: { start: number; end: number }[] = []
  for (const m of findMarkup(scanned.text)) {
    if (decodedByLayout(m, numbers)) continue
    undecoded.push(...m.ranges)
    pushReason(
      reasons,
      'markup-not-decoded',
      0.8,
      `${markupNames[m.kind]} not decoded (${m.count})`,
    )
  }
  if (notRead > 0)
    pushReason(
      reasons,
      'measurements-not-read',
      1 - (1 - perMissedMeasurement) ** notRead,
      `${notRead} measurement${notRead === 1 ? '' : 's'} named and not read`,
    )
  const fit = usedCount + notRead + unexplained + bare / 2
  if (unexplained + bare > 0 && fit >= 3) {
    const share = (unexplained + bare / 2) / fit
    pushReason(
      reasons,
      'numbers-unexplained',
      Math.min(0.9, Math.max(0, (share - unexplainedFree) / (unexplainedAll - unexplainedFree))),
      `${unexplained + bare} of ${usedCount + notRead + unexplained + bare} numbers explained by no field`,
    )
  }
  let stated = 0
  let unnamed = 0
  for (let i = 0; i < n; i++) {
    if ((fields[i] as Field).kind !== 'number' || (values[i] ?? null) === null) continue
    stated++
    if (!((grounding[i] as number) >= namedGrounding)) unnamed++
  }
  if (stated >= 3) {
    const share = unnamed / stated
    pushReason(
      reasons,
      'values-unnamed',
      Math.min(0.9, Math.max(0, (share - unnamedFree) / (unnamedAll - unnamedFree))),
      `${unnamed} of ${stated} values named by no label`,
    )
  }
  let confidence = 1
  for (const r of reasons) confidence *= 1 - r.doubt
  reasons.sort((a, b) => b.doubt - a.doubt)

  const field = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const f = fields[i] as Field
    let own = 1
    if (f.kind === 'number' && (values[i] ?? null) === null) {
      own = (1 - (missed[i] as number)) * 0.85 ** Math.min(6, unexplainedFor[i] as number)
    }
    field[i] = own * confidence
  }
  return {
    report: {
      confidence,
      whole: confidence < wholeReportThreshold,
      reasons,
      language: lang.language,
      numbers: { used: usedCount, notRead, unexplained },
      knownWords: Number(lang.knownShare.toFixed(3)),
    },
    field,
    undecoded,
  }
}
