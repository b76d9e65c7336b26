/**
 * Reads a report once into what grounding needs: every number with its unit, the vocabulary words
 * around it, and whether it sits in a reference range or a clause about another exam.
 * Offsets are UTF-16 code units into the original text, start inclusive, end exclusive.
 */
import type { Task } from '../../schemas/task.ts'
import { type NumberPlace, readLayout } from '../layout/read.ts'
import { canonicalUnit, prepositionIn, unitAfterNumber, unitInLabel } from './units.ts'

export interface NumberMention {
  value: number
  /** Span of the digits. */
  start: number
  end: number
  /** End of the number and its unit, for evidence spans. */
  spanEnd: number
  /** Canonical unit; 'other' for a word radstruct does not know ("mg", "years"); undefined if none. */
  unit: string | undefined
  /** 0 or 1 when the number is half of an "a/b" pair such as a blood pressure. */
  pairIndex: 0 | 1 | undefined
  /** An end of a range such as "54-78": reference ranges are never a measurement. */
  inRange: boolean
  /** 0..1: how strongly the clause says this is not this exam's value (prior study, echo, range). */
  distractor: number
  /** Words before the number in the text (for word distances). */
  wordIndex: number
  /** Dimensions set by words inside the unit ("mL/m2" -> indexed). */
  unitTerms: Record<string, string>[]
  /** Written as "(139 mL/m2)" right after another number, which it restates in another unit. */
  bracketAfterPrevious: boolean
  /** Section-wide dimensions set by the header of the table column the number sits in. */
  columnSet: Record<string, string> | undefined
  /** Where the layout puts the number (its key or row label, column header, headings); none
   * when the layout reader could not place it, and its words are read as prose. */
  place: NumberPlace | undefined
}

export interface TermMention {
  start: number
  end: number
  wordIndex: number
  /** Words that start before the mention's end. */
  wordEnd: number
  /** Dimension -> value this word sets, e.g. {chamber: 'lv', quantity: 'ef'}. */
  set: Record<string, string>
}

export interface ScannedText {
  text: string
  /** The text folded (foldText): lower case, dashes as spaces, offsets kept; every reader that
   * matches words takes it from here rather than folding the report again. */
  folded: string
  numbers: NumberMention[]
  terms: TermMention[]
  /** Start offsets of sentences (after '. ', blank lines), ascending. */
  sentenceStarts: number[]
  /** Start offset of every line, ascending (0 first): line lookups cost a binary search, not a
   * scan back through a line that may be the whole report. */
  lineStarts: number[]
}

/** Start of the line that holds `offset`. */
export function lineStartAt(lineStarts: readonly number[], offset: number): number {
  return lineStarts[lowerBound(lineStarts, offset + 1) - 1] ?? 0
}

/** End of the line that holds `offset` (the offset of its '\n'), or -1 on the last line. */
export function lineEndAt(lineStarts: readonly number[], offset: number): number {
  const next = lineStarts[lowerBound(lineStarts, offset + 1)]
  return next === undefined ? -1 : next - 1
}

/** Start offset of every line of a text, ascending (0 first). */
export function lineStartsOf(text: string): number[] {
  const out = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1)
  return out
}

/** Lower-cases without changing length, reads dashes and underscores as spaces, a dot between
 * letters as a space (dotted keys: "Left.atrium.volume") and ² as 2. */
export function foldText(text: string): string {
  let out = ''
  let prev = ''
  const chars = [...text]
  for (const [i, ch] of chars.entries()) {
    if (ch === '-' || ch === '–' || ch === '—' || ch === '_') out += ' '
    else if (ch === '²') out += '2'
    else if (ch === '.' && /\p{L}/u.test(prev) && /\p{L}/u.test(chars[i + 1] ?? '')) out += ' '
    else {
      // accents off ("Epanchement" is "épanchement"), one code unit for one, so offsets hold
      const l = ch.toLowerCase()
      const base = l.normalize('NFD')[0] as string
      out += l.length === ch.length ? (base.length === l.length && l > '~' ? base : l) : ch
    }
    prev = ch
  }
  return out
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

function termPattern(term: string): string {
  return foldText(term).trim().split(/\s+/).map(escapeRe).join('\\s+')
}

/** One regex over many phrases, longest first, matched at word boundaries. */
export function phraseRegex(phrases: string[]): RegExp | undefined {
  const uniq = [...new Set(phrases.map((p) => foldText(p).trim().replace(/\s+/g, ' ')))].filter(
    Boolean,
  )
  if (uniq.length === 0) return undefined
  uniq.sort((a, b) => b.length - a.length)
  // words of four letters or more may be plural ("volumes", "diameters")
  const word = uniq
    .filter((p) => /^[a-z0-9]/.test(p))
    .map((p) => termPattern(p) + (/[a-z]{4}$/.test(p) ? 's?' : ''))
  const symbol = uniq.filter((p) => !/^[a-z0-9]/.test(p)).map(termPattern)
  const parts: string[] = []
  if (word.length) parts.push(`(?<![a-z0-9])(?:${word.join('|')})`)
  if (symbol.length) parts.push(`(?:${symbol.join('|')})`)
  return new RegExp(`(?:${parts.join('|')})(?![a-z0-9])`, 'g')
}

export interface TextVocabulary {
  termRegex: RegExp | undefined
  termSets: Map<string, Record<string, string>>
  cueRegex: RegExp | undefined
}

const vocabularyCache = new WeakMap<Task, TextVocabulary>()

/** The task's vocabulary and field aliases compiled into matchers (once per task). */
export function textVocabulary(task: Task): TextVocabulary {
  const cached = vocabularyCache.get(task)
  if (cached) return cached
  const termSets = new Map<string, Record<string, string>>()
  const add = (term: string, set: Record<string, string>) => {
    const k = foldText(term).trim().replace(/\s+/g, ' ')
    termSets.set(k, { ...termSets.get(k), ...set })
  }
  for (const g of task.vocabulary?.groups ?? []) for (const t of g.terms) add(t, g.set)
  // A field alias ("LVEF") names every dimension of its field at once.
  for (const f of task.fields) {
    if (f.kind === 'number' && Object.keys(f.concepts).length)
      for (const a of f.aliases) add(a, f.concepts)
  }
  const v: TextVocabulary = {
    termRegex: phraseRegex([...termSets.keys()]),
    termSets,
    cueRegex: phraseRegex(task.distractorCues),
  }
  vocabularyCache.set(task, v)
  return v
}

// A number: thousands with commas (1,450), or digits with an optional decimal point or comma.
const numberRe = /(?<![A-Za-z0-9_.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?![0-9])/g
// "54-78", "54 - 78", "54 to 78"; not "100<tab>-1.2" (a z-score in the next cell)
const rangeAfter = /^ ?(?:-|–|—| to) ?\d/
const rangeBefore = /\d ?(?:-|–|—|to ) ?$/
const wordRe = /[\p{L}\p{N}]+/gu

function parseNumber(raw: string): number {
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw) && !raw.startsWith('0,'))
    return Number(raw.replace(/,/g, ''))
  return Number(raw.replace(',', '.'))
}

/** Index of the first element of a sorted array that is >= x. */
export function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Clause boundaries: punctuation, sentence ends, and line breaks after a table cell or before an indented line. */
function clauseBoundaries(text: string): number[] {
  const out: number[] = []
  let open = -1 // index in `out` of the last '('
  let lineStart = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === ')' && open >= 0 && /^[ \t]*:/.test(text.slice(i + 1, i + 4))) {
      // "Prior echo (2021): LVEF 60 %": a bracket inside a heading does not end the heading's clause
      out.splice(open, 1)
      open = -1
      continue
    }
    if (c === ',' || c === ';' || c === '(' || c === ')' || c === '[' || c === ']') {
      // a decimal comma is no boundary
      if (c === ',' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue
      if (c === '(') open = out.length
      out.push(i)
    } else if (
      c === '.' &&
      /\s/.test(text[i + 1] ?? ' ') &&
      /[\p{L}\p{N})%]/u.test(text[i - 1] ?? '')
    ) {
      out.push(i) // a sentence end, not a dot leader ("Height ...... 165 cm")
    } else if (c === '\n') {
      const before = text.slice(Math.max(0, i - 3), i).trimEnd()
      const next = text[i + 1] ?? '\n'
      // a table row ends its clause too: a header cell ("Prior") speaks for its column, not the table
      const row = text.slice(lineStart, i)
      lineStart = i + 1
      if (
        before === '' ||
        /[\d%)\]²:|│┃║]$/.test(before) ||
        /\s/.test(next) ||
        /\t|\S {2,}\S/.test(row) // a row of a tab or space-aligned table
      )
        out.push(i)
    }
  }
  return out
}

function sentenceStarts(text: string): number[] {
  const out = [0]
  const re = /(?<=[\p{L}\p{N})%])[.!?](?=\s)|\n[ \t]*\n|:[ \t]*\n/gu
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index + m[0].length)
  return out
}

/** Scans a report against a task's vocabulary. Pure; run it once per report and reuse it. */
export function scanText(task: Task, text: string): ScannedText {
  const vocab = textVocabulary(task)
  const lines = lineStartsOf(text)
  const folded = foldText(text)
  const wordStarts: number[] = []
  for (const m of text.matchAll(wordRe)) wordStarts.push(m.index)
  const wordIndex = (pos: number) => lowerBound(wordStarts, pos)
  const terms = findTerms(vocab, folded, wordIndex)
  const cues: number[] = []
  if (vocab.cueRegex) for (const m of folded.matchAll(vocab.cueRegex)) cues.push(m.index)
  const numbers = findNumbers(text, lines, terms, wordIndex)
  const cueIn = (sp: { start: number; end: number }) => {
    const ci = lowerBound(cues, sp.start)
    return ci < cues.length && (cues[ci] as number) < sp.end
  }
  const places = readLayout(text, numbers, cueIn)
  const termsIn = termsWithin(terms)
  const dims = task.vocabulary?.dimensions ?? {}
  for (const [i, n] of numbers.entries()) {
    const place = places.get(n.start)
    if (place) placeNumber(text, numbers, i, place, termsIn, dims)
  }
  markDistractors(text, numbers, cues, places)
  const words = ownUnitTerms(terms, numbers)
  // "268 mL (139 mL/m2)": the bracketed number shares the words of the one before it.
  for (let i = 1; i < numbers.length; i++) {
    const prev = numbers[i - 1] as NumberMention
    const n = numbers[i] as NumberMention
    if (/^\s*\(\s*$/.test(text.slice(prev.spanEnd, n.start))) n.bracketAfterPrevious = true
  }
  return {
    text,
    folded,
    numbers,
    terms: words,
    sentenceStarts: sentenceStarts(text),
    lineStarts: lines,
  }
}

/** The vocabulary's terms in the folded text, in text order (regex matches never overlap). */
function findTerms(
  vocab: TextVocabulary,
  folded: string,
  wordIndex: (pos: number) => number,
): TermMention[] {
  const terms: TermMention[] = []
  if (!vocab.termRegex) return terms
  for (const m of folded.matchAll(vocab.termRegex)) {
    const key = m[0].replace(/\s+/g, ' ')
    const set = vocab.termSets.get(key) ?? vocab.termSets.get(key.slice(0, -1)) // plural
    if (!set) continue
    const end = m.index + m[0].length
    terms.push({ start: m.index, end, wordIndex: wordIndex(m.index), wordEnd: wordIndex(end), set })
  }
  return terms
}

/** The terms that lie wholly inside a span (terms are in text order). */
function termsWithin(terms: readonly TermMention[]) {
  const starts = terms.map((t) => t.start)
  return (sp: { start: number; end: number }) => {
    const found: TermMention[] = []
    for (let ti = lowerBound(starts, sp.start); ti < terms.length; ti++) {
      const t = terms[ti] as TermMention
      if (t.start >= sp.end) break
      if (t.end <= sp.end) found.push(t)
    }
    return found
  }
}

/** Every number of the text that is not part of a term, with its unit as the text gives it. */
function findNumbers(
  text: string,
  lines: readonly number[],
  terms: readonly TermMention[],
  wordIndex: (pos: number) => number,
): NumberMention[] {
  // one lookup finds the term a position could be in
  const termStarts = terms.map((t) => t.start)
  const inTerm = (pos: number) => {
    const t = terms[lowerBound(termStarts, pos + 1) - 1]
    return t !== undefined && pos >= t.start && pos < t.end
  }
  const numbers: NumberMention[] = []
  for (const m of text.matchAll(numberRe)) {
    const raw = m[1] as string
    const start = m.index
    const end = start + raw.length
    if (inTerm(start)) continue // the "2" of "2-chamber", the "1" of "T1"
    const { unit, spanEnd } = unitOfNumber(text, lines, numbers, start, end)
    const before = text.slice(Math.max(0, start - 12), start)
    const inRange = rangeAfter.test(text.slice(end, end + 8)) || rangeBefore.test(before)
    let pairIndex: 0 | 1 | undefined
    // "116/72", and "124 / 80" as templated exports space it
    if (/^ ?\/ ?\d/.test(text.slice(end, end + 4))) pairIndex = 0
    else if (/\d ?\/ ?$/.test(before)) pairIndex = 1
    numbers.push({
      value: parseNumber(raw),
      start,
      end,
      spanEnd,
      unit,
      pairIndex,
      inRange,
      distractor: 0,
      wordIndex: wordIndex(start),
      unitTerms: [],
      bracketAfterPrevious: false,
      columnSet: undefined,
      place: undefined,
    })
  }
  // "116/72 mmHg": one unit serves both numbers of a pair
  for (let i = 0; i + 1 < numbers.length; i++) {
    const a = numbers[i] as NumberMention
    const b = numbers[i + 1] as NumberMention
    if (a.pairIndex === 0 && b.pairIndex === 1) {
      if (a.unit === undefined) a.unit = b.unit
      else if (b.unit === undefined) b.unit = a.unit // "RR_MMHG=118/76"
    }
  }
  return numbers
}

/** A number's unit from the words after it, a unit cell, its label, or the row's previous number. */
function unitOfNumber(
  text: string,
  lines: readonly number[],
  earlier: readonly NumberMention[],
  start: number,
  end: number,
): { unit: string | undefined; spanEnd: number } {
  let unit: string | undefined
  let spanEnd = end
  const after = text.slice(end, end + 24)
  const u = unitAfterNumber.exec(after)
  if (u?.[1] !== undefined) {
    unit = canonicalUnit(u[1])
    if (unit === 'in' && prepositionIn.test(after.slice(u[0].length))) unit = undefined
    else spanEnd = end + u[0].length
  } else if (u?.[2] !== undefined && !/^[ \t]*\n/.test(after)) unit = 'other' // not the next line's first word
  if (unit === undefined) {
    // a table's unit column: "| 47 | mm |", "47\tmm", "47    mm    " (the cell after the number's)
    const cell =
      /^(?:[ \t]*[|│┃\t]|[ ]{2,})[ \t]*([^|│┃\t\n ]{1,12}?)(?:[ \t]*[|│┃\t]|[ ]{2,}|[ \t]*(?=\n|$))/.exec(
        // a window wide enough that a padded unit cell is not cut short ("l/min" of "l/min/m2")
        text.slice(end, end + 80),
      )
    const cellUnit = cell?.[1] ? canonicalUnit(cell[1]) : undefined
    if (cellUnit) unit = cellUnit
  }
  if (unit === undefined) unit = unitInLabel(labelBefore(text, lines, start, earlier))
  // a table row's unit serves every number in the row ("ESV (mL)   171   88")
  const prev = earlier[earlier.length - 1]
  if (unit === undefined && prev && /^[ \t]+$/.test(text.slice(prev.spanEnd, start)))
    unit = prev.unit
  return { unit, spanEnd }
}

/** What the layout says of a number in it: its unit, its column's words, and whether a pair
 * under one quantity's label is a value and its index. */
function placeNumber(
  text: string,
  numbers: readonly NumberMention[],
  i: number,
  place: NumberPlace,
  termsIn: (sp: { start: number; end: number }) => TermMention[],
  dims: NonNullable<Task['vocabulary']>['dimensions'],
): void {
  const n = numbers[i] as NumberMention
  n.place = place
  // in a table, the layout's unit (a unit column, the header) wins over a word of the next
  // cell or the next line ("49\tn/a", "176\n\tmL/m2")
  const crossed = /[\n\t|│┃║]/.test(text.slice(n.end, n.spanEnd)) || n.unit === 'other'
  if (place.unit && (n.unit === undefined || (crossed && place.table))) {
    n.unit = place.unit
    n.spanEnd = n.end
  } else if (n.unit === 'other' && place.table) {
    n.unit = undefined
    n.spanEnd = n.end
  }
  const column = place.labels.find((l) => l.kind === 'column')
  if (column) {
    const set: Record<string, string> = {}
    for (const t of termsIn(column))
      for (const [d, v] of Object.entries(t.set)) if (dims?.[d]?.scope === 'section') set[d] = v
    n.columnSet = set
  }
  // "lvedv 160/82": a pair under one quantity's label is the value and its index, unless the
  // label names a pair quantity (blood pressure)
  if (place.pairCell !== undefined && n.pairIndex !== undefined) {
    const key = place.labels[0]
    const pairWord = key && termsIn(key).some((t) => t.set.quantity === 'bp')
    const known = key && termsIn(key).some((t) => t.set.quantity !== undefined)
    if (known && !pairWord) {
      n.pairIndex = undefined
      if (place.pairCell === 1) n.unitTerms.push({ indexed: 'yes' })
      const other = numbers[place.pairCell === 1 ? i - 1 : i + 1]
      if (other && n.unit === undefined) n.unit = other.unit
    }
  }
}

/** How likely each number is not a measurement: a range, a cue word in its clause, or a table
 * cell beside the value (a reference range, a z-score). */
function markDistractors(
  text: string,
  numbers: readonly NumberMention[],
  cues: readonly number[],
  places: ReadonlyMap<number, NumberPlace>,
): void {
  const boundaries = clauseBoundaries(text)
  for (const n of numbers) {
    const bi = lowerBound(boundaries, n.start)
    const clauseStart = bi > 0 ? (boundaries[bi - 1] as number) : 0
    const clauseEnd = bi < boundaries.length ? (boundaries[bi] as number) : text.length
    const ci = lowerBound(cues, clauseStart)
    const cueInClause = ci < cues.length && (cues[ci] as number) < clauseEnd
    const place = places.get(n.start)
    const besideValue = place !== undefined && place.role !== 'value'
    n.distractor = n.inRange ? 1 : cueInClause || besideValue ? 0.9 : 0
  }
}

/** Words inside a number's unit ("mL/m2": indexed) describe that number alone; the rest are the
 * text's words. */
function ownUnitTerms(terms: readonly TermMention[], numbers: readonly NumberMention[]) {
  const words: TermMention[] = []
  const spanEnds = numbers.map((n) => n.spanEnd)
  for (const t of terms) {
    // numbers are in text order and do not overlap: the candidates end after the term starts
    // and start before it ends (the first that fits, as a scan of all of them would find)
    let owner: NumberMention | undefined
    for (let j = lowerBound(spanEnds, t.start + 1); j < numbers.length; j++) {
      const n = numbers[j] as NumberMention
      if (n.start >= t.end) break
      if (t.end > n.end) {
        owner = n
        break
      }
    }
    if (owner) owner.unitTerms.push(t.set)
    else words.push(t)
  }
  return words
}

/** The label before a number on its line (after any earlier number on that line). */
function labelBefore(
  text: string,
  lines: readonly number[],
  start: number,
  earlier: readonly NumberMention[],
): string {
  // the line holding `start` (a number at a line's first character belongs to that line)
  const lineStart = lineStartAt(lines, start)
  const prev = earlier[earlier.length - 1]
  return text.slice(prev && prev.end > lineStart ? prev.end : lineStart, start)
}
