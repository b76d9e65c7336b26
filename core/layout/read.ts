/**
 * Reads the layout of a report the way a person does, before any vocabulary: tables (framed,
 * piped, tabbed or only aligned by whitespace), their header rows and unit columns, row labels
 * (a blank one continues the row above), section headings and the labels they scope, key: value
 * lines (dotted keys too), and label / value / unit written on consecutive lines. For each number
 * it returns where its label is: spans of the original text, nearest first, so that evidence and
 * label words stay exact. A number the reading cannot place confidently gets no place, and its
 * consumers read it as before (the words around it).
 * Pure; offsets are UTF-16 code units into the original text.
 */
import { canonicalUnit } from '../text/units.ts'

export type LabelKind = 'key' | 'row' | 'column' | 'heading'

export interface LabelSpan {
  start: number
  end: number
  kind: LabelKind
}

/** What a column header says its cells are: the measurement, or something beside it. */
export type CellRole = 'value' | 'reference' | 'prior' | 'score'

export interface NumberPlace {
  /** Labels of the number, nearest first: its key or row label, its column header, then the
   * headings in force, innermost first. */
  labels: LabelSpan[]
  role: CellRole
  /** A unit the layout assigns (unit column, unit in the header, unit on the next line), when
   * none is written after the number. */
  unit?: string
  /** In a detected table. */
  table: boolean
  /** The row label is inherited from the row above (a blank label cell). */
  continued: boolean
  /** Second number of "a/b" in a cell whose label names one quantity ("lvedv 160/82"). */
  pairCell?: 0 | 1
}

interface Span {
  start: number
  end: number
}

interface Line {
  start: number
  end: number
  text: string
  indent: number
  blank: boolean
  rule: boolean
  /** Cells and how they were delimited; one cell when the line has no delimiter. */
  cells: Span[]
  delim: 'pipe' | 'tab' | 'space' | 'none'
}

/** Header words of a unit column, in the languages reports come in. */
const unitHeader =
  /^(?:units?|einheit(?:en)?|unit[ée]s?|unidad(?:es)?|unit[àa]|eenhe(?:id|den)|enhet(?:er)?|jednostka|unidade)$/i
/** Header words of cells that are not the measurement itself (besides the task's cues). */
const scoreHeader = /^(?:z|z[- ]?scores?|sd|percentile|centile|%\s*pred(?:icted)?)$/i
const priorHeader =
  /\b(?:prior|previous|before|baseline|vorbefund|vorunters|voruntersuchung|pr[ée]c[ée]dent|anterior|precedente|vorige|eerdere|tidigare|poprzedni)\b|\b(?:19|20)\d{2}\b/i
const referenceHeader =
  /\b(?:ref(?:erence)?|normal|norm|range|normbereich|referenz|normale|normal|normaal|referens|norma|bereich|limits?)\b/i

const bars = /[|│┃║]/
const ruleLine = /^[\s\-=─━═+|│┃║┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬.'_~*:]*$/

function isRule(s: string): boolean {
  return ruleLine.test(s) && /[-=─━═_~*]{3,}/.test(s)
}

function indentOf(s: string): number {
  let w = 0
  for (const ch of s) {
    if (ch === ' ') w++
    else if (ch === '\t') w += 4
    else break
  }
  return w
}

/** Cells of a line: split by bars, tabs, or runs of two or more spaces (in that order). */
function splitCells(text: string, start: number): Pick<Line, 'cells' | 'delim'> {
  const cells: Span[] = []
  const push = (from: number, to: number) => {
    let a = from
    let b = to
    while (a < b && /\s/.test(text[a] as string)) a++
    while (b > a && /\s/.test(text[b - 1] as string)) b--
    cells.push({ start: start + a, end: start + b })
  }
  const barCount = (text.match(/[|│┃║]/g) ?? []).length
  const trimmed = text.trim()
  if (barCount >= 2 || (barCount === 1 && bars.test(trimmed[0] ?? ''))) {
    const parts: number[] = []
    for (let i = 0; i < text.length; i++) if (bars.test(text[i] as string)) parts.push(i)
    const open = bars.test(trimmed[0] ?? '')
    const close = bars.test(trimmed.at(-1) ?? '')
    const edges = [open ? undefined : -1, ...parts, close ? undefined : text.length]
    const cuts = edges.filter((x): x is number => x !== undefined)
    for (let k = 0; k + 1 < cuts.length; k++) {
      // a wide gap inside a bar cell separates cells too ("EDV      115   | 117 | mL")
      const a = (cuts[k] as number) + 1
      const b = cuts[k + 1] as number
      let from = a
      for (const m of text.slice(a, b).matchAll(/\S( {2,})(?=\S)/g)) {
        push(from, a + m.index + 1)
        from = a + m.index + 1 + (m[1] as string).length
      }
      push(from, b)
    }
    return { cells, delim: 'pipe' }
  }
  // a tab after the indentation separates cells ("\t4.43 L/min/m²\t" is a row with a blank label)
  if (text.replace(/^\t+/, '').includes('\t') || /^\t+\d/.test(text)) {
    // every tab separates: "\t78\t\tmL/m2" has an empty label cell and an empty cell between
    let from = 0
    for (let k = text.indexOf('\t'); k >= 0; k = text.indexOf('\t', k + 1)) {
      push(from, k)
      from = k + 1
    }
    push(from, text.length)
    return { cells, delim: 'tab' }
  }
  const body = text.trimStart()
  const offset = text.length - body.length
  let from = 0
  let n = 0
  // a deeply indented number ("            50 ml/m2") is a row of an aligned table whose label
  // cell is blank
  if (offset >= 8 && /^\d/.test(body)) {
    cells.push({ start, end: start })
    n++
  }
  for (const m of body.matchAll(/ {2,}/g)) {
    if (m.index === 0) continue
    push(offset + from, offset + m.index)
    from = m.index + m[0].length
    n++
  }
  push(offset + from, offset + body.trimEnd().length)
  return { cells, delim: n > 0 ? 'space' : 'none' }
}

function linesOf(text: string): Line[] {
  const out: Line[] = []
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const raw = text.slice(start, end).replace(/\r$/, '')
    const blank = raw.trim() === ''
    const rule = !blank && isRule(raw)
    const split = blank || rule ? { cells: [], delim: 'none' as const } : splitCells(raw, start)
    out.push({
      start,
      end: start + raw.length,
      text: raw,
      indent: indentOf(raw),
      blank,
      rule,
      ...split,
    })
    if (end === text.length) break
    start = end + 1
  }
  return out
}

/** A number outside brackets that is not part of a word ("T1", "4ch" are words). */
const hasDigitOutsideBrackets = (s: string) =>
  /(?<![\p{L}\d])\d+(?:[.,]\d+)?(?!\p{L})/u.test(s.replace(/\([^)]*\)|\[[^\]]*\]/g, ''))
const hasLetter = (s: string) => /\p{L}/u.test(s)

/** A cell that is only a unit ("mL", "ml/m²", "%"). */
function unitCell(s: string): string | undefined {
  const t = s.trim().replace(/^[[(]|[\])]$/g, '')
  return t ? canonicalUnit(t) : undefined
}

function unitInHeader(s: string): string | undefined {
  const m = /[[(]([^\])]{1,16})[\])]/.exec(s)
  return m ? canonicalUnit(m[1] as string) : undefined
}

interface Heading {
  span: Span
  rank: number
}

/** The style rank of a heading line (lower ranks enclose higher ones), or undefined if not one. */
function headingRank(line: Line, next: Line | undefined): number | undefined {
  const t = line.text.trim()
  if (t.length === 0 || t.length > 60 || hasDigitOutsideBrackets(t) || !hasLetter(t))
    return undefined
  if (line.cells.length > 1) return undefined
  const md = /^(#{1,6})\s/.exec(t)
  const indent = line.indent * 10
  if (md) return indent + (md[1] as string).length
  if (/^(?:[-=*]{2,}).+(?:[-=*]{2,})$/.test(t)) return indent + 1
  const letters = t.replace(/[^\p{L}]/gu, '')
  if (letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase())
    return indent + 1
  if (/:$/.test(t) || /^\[.+\]$/.test(t)) return indent + 2
  // a title line above data: the next line holds a number or is indented under it
  if (
    next &&
    !next.blank &&
    (next.indent > line.indent || /\d/.test(next.text) || next.rule || next.cells.length > 1)
  )
    return indent + 2
  return undefined
}

interface Table {
  from: number
  to: number
}

/** Consecutive delimited lines (rules allowed between them): at least two rows of two cells. */
function tablesOf(lines: Line[]): Table[] {
  const out: Table[] = []
  let i = 0
  while (i < lines.length) {
    const l = lines[i] as Line
    if (l.blank || (l.delim === 'none' && !l.rule)) {
      i++
      continue
    }
    let j = i
    let rows = 0
    const delim = l.rule ? undefined : l.delim
    let kind = delim
    while (j < lines.length) {
      const m = lines[j] as Line
      if (m.blank) break
      if (m.rule) {
        j++
        continue
      }
      if (m.delim === 'none' || m.cells.length < 2) break
      if (kind === undefined) kind = m.delim
      // a space-aligned row joins a piped or tabbed table only if it is one of them
      if (m.delim !== kind && !(kind === 'space' || m.delim === 'space')) break
      rows++
      j++
    }
    // one ruled, barred row is a table too ("├───┼───┤ / │ Weight │ 183 │ lb │")
    const ruled = lines.slice(i, j).some((x) => x.rule || bars.test(x.text.trim()[0] ?? ''))
    if (rows >= 2 || (rows === 1 && kind === 'pipe' && ruled)) out.push({ from: i, to: j })
    i = Math.max(j, i + 1)
  }
  return out
}

function isNumberCell(text: string, c: Span): boolean {
  const s = text.slice(c.start, c.end)
  return /^[-+<>~≈]?\s*\d/.test(s)
}

/** Places every number of a table (`from`..`to` lines). */
function readTable(
  text: string,
  lines: Line[],
  t: Table,
  numbersIn: (s: Span) => Span[],
  cueIn: (s: Span) => boolean,
  headings: LabelSpan[],
  out: Map<number, NumberPlace>,
): void {
  const grid = new TableGrid(
    text,
    lines.slice(t.from, t.to).filter((l) => !l.rule),
  )
  let lastLabel: Span | undefined
  let rowHeading: LabelSpan | undefined
  for (const row of grid.body) {
    const cells = row.cells
    const numeric = cells.map((c) => isNumberCell(text, c))
    // a row of text only inside a table: a sub-heading for the rows below it
    if (
      !numeric.some(Boolean) &&
      !cells.some((c) => hasDigitOutsideBrackets(text.slice(c.start, c.end)))
    ) {
      const filled = cells.filter((c) => c.end > c.start)
      if (filled.length === 1) {
        rowHeading = { ...(filled[0] as Span), kind: 'heading' }
        lastLabel = undefined
      }
      continue
    }
    // none: the row continues the one above ("|        | 78 | mL/m2 |")
    let label = rowLabel(text, cells, numeric.indexOf(true))
    const continued = !label && lastLabel !== undefined
    if (continued) label = lastLabel
    else lastLabel = label
    const rowUnit = grid.rowUnit(row, label)
    for (const [k, c] of cells.entries()) {
      if (c === label) continue
      const nums = numbersIn(c)
      if (nums.length === 0) continue
      const hc = grid.headerCellAt(row, k, c)
      const role = roleOfHeader(grid.cellText(hc), hc, cueIn)
      const unit =
        rowUnit ??
        unitInHeader(grid.cellText(hc)) ??
        (label ? unitInHeader(grid.cellText(label)) : undefined)
      const labels: LabelSpan[] = []
      if (label) labels.push({ ...label, kind: 'row' })
      if (hc && hc.end > hc.start) labels.push({ ...hc, kind: 'column' })
      if (rowHeading) labels.push(rowHeading)
      labels.push(...headings)
      for (const n of nums)
        out.set(n.start, { labels, role, ...(unit ? { unit } : {}), table: true, continued })
    }
  }
}

/** The row label: the first cell of words before the first number (a unit cell is not one). */
function rowLabel(text: string, cells: readonly Span[], firstNumber: number): Span | undefined {
  for (const [k, c] of cells.entries()) {
    if (firstNumber >= 0 && k >= firstNumber) return undefined
    const s = text.slice(c.start, c.end)
    if (c.end > c.start && hasLetter(s) && unitCell(s) === undefined) return c
  }
  return undefined
}

/** What a header says of the numbers under it: a value, a score, a prior or a reference. */
function roleOfHeader(s: string, hc: Span | undefined, cueIn: (s: Span) => boolean): CellRole {
  if (!s) return 'value'
  if (scoreHeader.test(s)) return 'score'
  if (priorHeader.test(s)) return 'prior'
  if (referenceHeader.test(s) || cueIn(hc as Span)) return 'reference'
  return 'value'
}

/** A table's rows read as a person does: the header row, the body, and the unit columns. */
class TableGrid {
  /** Space-aligned: cells match the header by position, not by index. */
  readonly positional: boolean
  readonly header: Line | undefined
  readonly body: Line[]
  private readonly unitCols = new Set<number>()

  private readonly text: string

  constructor(text: string, rows: Line[]) {
    this.text = text
    this.positional = rows.every((r) => r.delim === 'space' || r.delim === 'none')
    // header rows: leading rows without a measurement (numbers only in brackets or as a year)
    let h = 0
    while (
      h < rows.length - 1 &&
      (rows[h] as Line).cells.every(
        // a year names a column ("2023", "Prior 2023 LV"), it is not a measurement
        (c) =>
          !hasDigitOutsideBrackets(text.slice(c.start, c.end).replace(/\b(?:19|20)\d{2}\b/g, '')),
      )
    )
      h++
    this.header = h > 0 ? (rows[h - 1] as Line) : undefined
    this.body = rows.slice(h)
    const width = Math.max(...rows.map((r) => r.cells.length))
    if (!this.positional)
      for (let k = 0; k < width; k++) if (this.unitColumn(k)) this.unitCols.add(k)
  }

  cellText(s: Span | undefined): string {
    return s ? this.text.slice(s.start, s.end).trim() : ''
  }

  /** Which columns hold units: by header word, or by cells that are all units. */
  private unitColumn(k: number): boolean {
    if (this.header && unitHeader.test(this.cellText(this.header.cells[k]))) return true
    const filled = this.body
      .map((r) => r.cells[k])
      .filter((c): c is Span => c !== undefined && c.end > c.start)
    return (
      filled.length >= 2 &&
      filled.every((c) => unitCell(this.text.slice(c.start, c.end)) !== undefined)
    )
  }

  /** The header cell above a cell: the same index, or by position the overlapping (or nearest). */
  headerCellAt(row: Line, k: number, c: Span): Span | undefined {
    const header = this.header
    if (!header) return undefined
    if (!this.positional && row.cells.length === header.cells.length) return header.cells[k]
    const col = c.start - row.start
    const colEnd = c.end - row.start
    let best: Span | undefined
    let bestD = Number.POSITIVE_INFINITY
    for (const hc of header.cells) {
      const d = Math.max(0, hc.start - header.start - colEnd, col - (hc.end - header.start))
      if (d < bestD) {
        bestD = d
        best = hc
      }
    }
    return bestD <= 4 ? best : undefined
  }

  /** A row's unit: its unit column's cell, or in an aligned table any unit cell but the label. */
  rowUnit(row: Line, label: Span | undefined): string | undefined {
    let unit: string | undefined
    for (const k of this.unitCols) {
      const c = row.cells[k]
      if (c) unit ??= unitCell(this.text.slice(c.start, c.end))
    }
    if (this.positional && !unit)
      // "EDV   ml   150   98"
      for (const c of row.cells) {
        const u = unitCell(this.text.slice(c.start, c.end))
        if (u && c !== label) return u
      }
    return unit
  }
}

/**
 * The place of each number (by its start offset) in the report's layout. `numbers` are the spans of
 * the numbers the scanner found, in text order; `cueIn` says whether a span holds one of the task's
 * distractor cues (a "Prior" or "Normal range" header).
 */
export function readLayout(
  text: string,
  numbers: readonly (Span & { spanEnd?: number })[],
  cueIn: (s: Span) => boolean = () => false,
): Map<number, NumberPlace> {
  const out = new Map<number, NumberPlace>()
  const lines = linesOf(text)
  const numbersIn = numbersWithin(numbers)
  const tables = tablesOf(lines)
  const inTable = new Uint8Array(lines.length)
  for (const t of tables) inTable.fill(1, t.from, t.to)
  const tableAt = new Map(tables.map((t) => [t.from, t]))
  const stack: Heading[] = []
  const headingLabels = (): LabelSpan[] =>
    stack
      .slice()
      .reverse()
      .map((x) => ({ ...x.span, kind: 'heading' as const }))
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line
    const t = tableAt.get(i)
    if (t) {
      readTable(text, lines, t, numbersIn, cueIn, headingLabels(), out)
      i = t.to - 1
      continue
    }
    if (inTable[i] || line.blank || line.rule) continue
    const next = lines[i + 1]
    const nums = numbersIn(line)
    if (nums.length === 0) {
      // a label whose value is on the next line is a key, not a heading
      if (valueOnly(next) && line.text.trim().length <= 60) continue
      const rank = headingRank(line, next)
      if (rank !== undefined) {
        while (stack.length && (stack.at(-1) as Heading).rank >= rank) stack.pop()
        stack.push({ span: trimmedSpan(line), rank })
      }
      continue
    }
    const prev = i > 0 ? (lines[i - 1] as Line) : undefined
    if (valueOnly(line) && prev && isLabelLine(prev, numbersIn))
      placeUnderLabel(text, line, prev, next, nums, headingLabels(), out)
    else placeKeyed(text, line, next, nums, headingLabels(), out)
  }
  return out
}

/** The numbers (in text order) that start inside a span. */
function numbersWithin(numbers: readonly Span[]): (s: Span) => Span[] {
  const starts = numbers.map((n) => n.start)
  return (s) => {
    const res: Span[] = []
    let lo = 0
    let hi = starts.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((starts[mid] as number) < s.start) lo = mid + 1
      else hi = mid
    }
    for (let k = lo; k < numbers.length && (numbers[k] as Span).start < s.end; k++)
      res.push(numbers[k] as Span)
    return res
  }
}

/** A line's text without its surrounding spaces, as a span. */
const trimmedSpan = (l: Line): Span => ({
  start: l.start + (l.text.length - l.text.trimStart().length),
  end: l.start + l.text.trimEnd().length,
})

/** A line holding one value (a pair, a unit word at most): the value of the label above it. */
const valueOnly = (l: Line | undefined) =>
  l !== undefined &&
  !l.blank &&
  /^[-+<>~]?\s*\d+(?:[.,]\d+)?(?:\s*\/\s*\d+(?:[.,]\d+)?)?(?:\s*\S{1,12})?\s*$/.test(l.text.trim())

/** A short line of words, no number: a label whose value can stand on the next line. */
const isLabelLine = (l: Line, numbersIn: (s: Span) => Span[]) =>
  !l.blank &&
  !l.rule &&
  numbersIn(l).length === 0 &&
  hasLetter(l.text) &&
  l.text.trim().length <= 60

/** Label / value (/ unit) on consecutive lines. */
function placeUnderLabel(
  text: string,
  line: Line,
  prev: Line,
  next: Line | undefined,
  nums: readonly Span[],
  headings: LabelSpan[],
  out: Map<number, NumberPlace>,
): void {
  const labels: LabelSpan[] = [{ ...trimmedSpan(prev), kind: 'key' }, ...headings]
  const nextUnit = next && !next.blank ? unitCell(next.text) : undefined
  for (const [k, n] of nums.entries()) {
    const unit = /\d\s*$/.test(text.slice(line.start, line.end)) ? nextUnit : undefined
    out.set(n.start, {
      labels,
      role: 'value',
      ...(unit ? { unit } : {}),
      table: false,
      continued: false,
      ...(nums.length === 2 && /\d\s*\/\s*\d/.test(line.text) ? { pairCell: k as 0 | 1 } : {}),
    })
  }
}

/** Key: value lines; a later number on the line takes the words between it and the one before. */
function placeKeyed(
  text: string,
  line: Line,
  next: Line | undefined,
  nums: readonly (Span & { spanEnd?: number })[],
  headings: LabelSpan[],
  out: Map<number, NumberPlace>,
): void {
  let from = trimmedSpan(line).start
  let key: Span | undefined
  const whole = wholeKey(text, from, nums)
  for (const [k, n] of nums.entries()) {
    // the first number after a key with numbers of its own takes the whole key
    if (whole && n.start > whole.end && from < whole.end) from = whole.from
    const before = text.slice(from, n.start)
    const m = /^[\s\-•*·–]*(.*?)[\s.:=\-–]*$/su.exec(before)
    const keyText = (m?.[1] ?? '').trimEnd()
    const pairSecond = k > 0 && /^\s*\/\s*$/.test(before)
    if (hasLetter(keyText) && keyText.length <= 90) {
      const ks = from + before.indexOf(keyText)
      const sep = before.slice(before.indexOf(keyText) + keyText.length)
      // a key ends at ':' or '=', a tab, a wide gap or dot leaders, or is a dotted key
      const keyed =
        /[:=\t]|\s{2,}|\.{2,}/.test(sep) ||
        /^[\p{L}\d]+(?:\.[\p{L}\d/()]+)+$/u.test(keyText) ||
        lineRestEmpty(text, line, n)
      key = keyed ? { start: ks, end: ks + keyText.length } : undefined
    } else if (!pairSecond && /[\p{L}\d]/u.test(keyText)) key = undefined
    // else: "(" or "/" only: a restatement of the number before ("55 ml (31 mL/m²)") keeps its key
    if (key) {
      const restIsUnitLine = next && !next.blank && unitCell(next.text) !== undefined
      const unit =
        restIsUnitLine && /^\s*$/.test(text.slice(n.end, line.end))
          ? unitCell((next as Line).text)
          : undefined
      out.set(n.start, {
        labels: [{ ...key, kind: 'key' }, ...headings],
        role: 'value',
        ...(unit ? { unit } : {}),
        table: false,
        continued: false,
        ...(nums.length === 2 &&
        /^\s*\/\s*$/.test(text.slice((nums[0] as Span).end, (nums[1] as Span).start))
          ? { pairCell: k as 0 | 1 }
          : {}),
      })
    }
    from = n.spanEnd ?? n.end
  }
}

/**
 * The key of a "key: value" line whose key holds numbers of its own ("T1 (15 min): 470 ms",
 * "LA-Fläche 4-Kammerblick: 28 cm2"): numbers in brackets or joined to a word. The value after
 * the separator takes the whole key, not the words after the key's last number.
 */
function wholeKey(
  text: string,
  start: number,
  nums: readonly (Span & { spanEnd?: number })[],
): { from: number; end: number } | undefined {
  const m = /^[\s\-•*·–]*([^:=\t\n]*\p{L}[^:=\t\n]*?)\s*[:=\t]/u.exec(
    text.slice(start, start + 120),
  )
  if (!m) return undefined
  const end = start + m[0].length
  const inner = nums.filter((n) => n.start < end)
  if (inner.length === 0) return undefined
  const labelNumber = (n: Span) => {
    const open = text.lastIndexOf('(', n.start) > text.lastIndexOf(')', n.start - 1)
    const bracketed = open && text.lastIndexOf('(', n.start) >= start
    const glued =
      /[\p{L}]-?$/u.test(text.slice(start, n.start)) ||
      /^-?\p{L}/u.test(text.slice(n.end, n.end + 2))
    return bracketed || glued
  }
  return inner.every(labelNumber) ? { from: start, end } : undefined
}

/** Nothing but a unit (or a bracketed restatement) after the number, to the end of its line. */
function lineRestEmpty(text: string, line: Line, n: Span): boolean {
  const rest = text.slice(n.end, line.end).trim()
  if (rest === '') return true
  if (/^\S{1,12}$/.test(rest) && (!/\d/.test(rest) || unitCell(rest) !== undefined)) return true
  // a bracketed restatement, or the second of a pair ("55/31", "116/72 mmHg")
  return /^\S{0,12}\s*[([][^)\]]*[)\]]$/.test(rest) || /^\S{0,12}\s*\/\s*\d/.test(rest)
}
