/**
 * A decoded table (HTML, delimited export) as statements: every number cell becomes one line
 * "column headers row label: value unit (ref range)", so a grid with chambers across and
 * quantities down, or a header row over a row of values, reads as plainly as a list. Header rows
 * are the rows at the top without numbers; the row label is the first column where it holds
 * words; a unit column and a reference column lend their cells to the values beside them; a
 * column whose header says prior or previous keeps that word in its label, which marks the value
 * as another exam's. A table without numbers stays rows of cells.
 */
import type { RenderingBuilder } from './rendering.ts'
import { isUnitAlone, unitAsRead } from './unit-spelling.ts'

export interface TableCell {
  /** Plain text of the cell (entities decoded), for reading the table's shape. */
  text: string
  /** Writes the cell's text into the rendering (copied from the original where it can be). */
  render: (b: RenderingBuilder) => void
  start: number
  end: number
}

const numberCell = /^\s*[<>≤≥~]?\s*[-+]?\d+(?:[.,]\d+)?\s*(?:[a-zA-Zµ%/²³0-9.[\]() -]{0,14})?\s*$/
/** A cell that is a unit alone: "ml", "mL/m²", "%", "l/min/m2", "bpm", "mm Hg". */
const unitOnly =
  /^\s*(?:[mµc]?[lL]|cm[3³]|[mk]?g|[cm]?m|[cm]?m[2²]|%|m?s|sec|bpm|\/min|1\/min|beats\/min|mm ?Hg|°)(?:\s*\/\s*(?:m[2²]|min|kg|BSA)(?:\s*\/\s*m[2²])?)?\s*$/i
const rangeCell =
  /^\s*[<>≤≥]?\s*\d+(?:[.,]\d+)?\s*(?:[-–—]|to|bis|à|a)\s*\d+(?:[.,]\d+)?|^\s*[<>≤≥]\s*\d/
const unitHeader = /^\s*(?:units?|einheit|unit[ée]s?|unidad(?:es)?|eenheid|unit[àa]|dimension)\s*$/i
const refHeader =
  /\b(?:ref\w*|normal\w*|norm\w*|range|bereich|intervall?e?|valeurs? normales?|valores? normales?|normaalwaarden)\b|^\s*(?:lo|hi|low|high|lower|upper|min|max|lln|uln)(?: limit)?\s*$/i

/** An abnormal flag (HL7 OBX-8's H, L, N, A; arrows): says how a value compares, names nothing. */
const flagHeader = /^\s*(?:flags?|abnormal(?:\s+flags?)?|interpretation|status|h\/l)\s*$/i
const flagCell = /^\s*(?:[HLNA]{1,2}|high|low|normal|abnormal|[↑↓*!])\s*$/i

/** A row of column names: one of its cells says "value", "unit" or "range" in some language. */
export const headerRowLike = (cells: readonly string[]): boolean =>
  cells.some((t) => {
    const w = t.replace(/_/g, ' ').trim()
    return genericHeader.test(w) || unitHeader.test(w) || refHeader.test(w)
  })

/** Column headers that say "the value" in some language: they name nothing. */
export const genericHeader =
  /^(?:values?|results?|measurements?|measured|parameters?|params?|current|actual|today|wert|messwert|ergebnis|aktuell|valeurs?|mesures?|actuel|r[ée]sultats?|valor(?:es)?|medida|actual|waarde|meting|huidig|valore|misura|attuale)$/i

const otherExamHeader =
  /\b(?:prior|previous|pre-?vious|earlier|baseline|vorbefund|voruntersuchung|vorher|pr[ée]c[ée]dent|ant[ée]rieur|anterior|previo|vorig|eerder|precedente|z[- ]?scores?|z|sd|percentiles?|centiles?|delta|change|diff\w*)\b/i

/** A unit alone in a cell: the spellings of table columns, or any unit the readers know. */
const isUnitCell = (t: string) => unitOnly.test(t) || isUnitAlone(t)

/** A value: a number, perhaps with its unit ("5 mm", "62 %"); "2CH" or "3D" name a column. */
const isNumber = (s: string) => {
  if (!numberCell.test(s) || !/\d/.test(s)) return false
  const rest = s.replace(/^\s*[<>≤≥~]?\s*[-+]?\d+(?:[.,]\d+)?/, '').trim()
  const word = /^[A-Za-zµ][^\s(]*/.exec(rest)?.[0]
  return word === undefined || isUnitCell(word)
}
/** A header as words: "prior_value", "ref_low" read as "prior value", "ref low". */
const words = (h: string) => h.replace(/_/g, ' ').trim()

export function renderTableStatements(
  b: RenderingBuilder,
  rows: readonly (TableCell | undefined)[][],
) {
  const width = Math.max(0, ...rows.map((r) => r.length))
  const cellText = (r: number, c: number) => rows[r]?.[c]?.text.trim() ?? ''
  const numericRow = (r: number) => rows[r]?.some((c) => c && isNumber(c.text)) ?? false
  // a row of one cell spanning the table ("Left ventricle") heads the rows below it
  const sectionRow = (r: number) => {
    const cells = (rows[r] ?? []).filter((c): c is TableCell => !!c && c.text.trim() !== '')
    return width > 1 && cells.length > 0 && cells.every((c) => c === cells[0])
  }
  let headerRows = 0
  while (headerRows < rows.length && !numericRow(headerRows) && !sectionRow(headerRows))
    headerRows++
  if (!rows.some((_, r) => numericRow(r))) return renderRows(b, rows)
  // a table of one header row and one row of values is a wide export: the headers name them
  const body = rows.slice(headerRows).filter((_, i) => !sectionRow(headerRows + i))
  const kind: ('value' | 'unit' | 'ref' | 'flag')[] = []
  for (let c = 0; c < width; c++) {
    const heads = rows.slice(0, headerRows).map((r) => r[c]?.text ?? '')
    const cells = body.map((r) => r[c]?.text.trim() ?? '').filter(Boolean)
    kind[c] =
      heads.some((h) => flagHeader.test(words(h))) ||
      (cells.length > 0 && cells.every((t) => flagCell.test(t)))
        ? 'flag'
        : heads.some((h) => unitHeader.test(words(h))) ||
            (cells.length > 1 && cells.every(isUnitCell))
          ? 'unit'
          : heads.some((h) => refHeader.test(words(h))) ||
              (cells.length > 0 && cells.every((t) => rangeCell.test(t)))
            ? 'ref'
            : 'value'
  }
  // a prior exam's column, a z-score or a percentile: not this exam's measurement, left out so
  // that no reader takes it for one
  const otherExam = Array.from({ length: width }, (_, c) =>
    rows.slice(0, headerRows).some((r) => otherExamHeader.test(words(r[c]?.text ?? ''))),
  )
  const unitCol = kind.indexOf('unit')
  const refCols = kind.flatMap((k, c) => (k === 'ref' ? [c] : []))
  // columns of words (section, parameter): together they are the row's label
  const labelCols = new Set<number>()
  for (let c = 0; c < width; c++)
    if (kind[c] === 'value' && body.every((r) => !isNumber(r[c]?.text ?? ''))) labelCols.add(c)
  // label and value columns taking turns (th td th td): a value's label is the one before it
  const valueCols = Array.from({ length: width }, (_, c) => c).filter(
    (c) => kind[c] === 'value' && !labelCols.has(c),
  )
  const lastValue = Math.max(-1, ...valueCols)
  const interleaved = [...labelCols].some(
    (lc) => valueCols.some((vc) => vc < lc) && valueCols.some((vc) => vc > lc),
  )
  // words after the last value column ("ml (63 ml/m²)", a remark) follow the value, as in prose
  const trailing = [...labelCols].filter((lc) => lc > lastValue && lastValue >= 0)
  const ownLabels = (c: number) => {
    const before = [...labelCols].filter((lc) => !trailing.includes(lc))
    if (!interleaved) return before
    const prev = Math.max(-1, ...valueCols.filter((vc) => vc < c))
    return before.filter((lc) => lc > prev && lc < c)
  }
  // a header row over a few rows of values (a wide export): the headers name every cell
  const wide = headerRows > 0 && body.length <= 3 && width >= 6
  const informative = (t: string) => /[A-WYZa-wyz]/.test(t.replace(/REDACTED|X{3,}/g, ''))
  // the header of the label column names the rows' group where it is not a generic word, over a
  // single column of values ("Left ventricle | Value | Unit" over "EDV | 168 | ml"); over a grid of
  // values it is the label column's title ("Chamber")
  const groupHead = [...labelCols]
    .map((lc) => rows[headerRows - 1]?.[lc])
    .find((h) => h?.text.trim() && !headerRowLike([h.text]) && !otherExamHeader.test(h.text))
  const single =
    Array.from({ length: width }, (_, c) => c).filter(
      (c) => kind[c] === 'value' && !labelCols.has(c) && !otherExam[c],
    ).length === 1
  let section: TableCell | undefined = headerRows > 0 && !wide && single ? groupHead : undefined
  // a row whose label cells are empty continues the row above ("LV EDV | 150 ml" then
  // "| 81 ml/m2"): it takes that row's labels
  let lastLabels: (TableCell | undefined)[] = []
  for (let r = headerRows; r < rows.length; r++) {
    const own = rows[r] ?? []
    const continued =
      labelCols.size > 0 && [...labelCols].every((lc) => !own[lc]?.text.trim()) && own.some(Boolean)
    const row = continued ? own.map((cell, c) => (labelCols.has(c) ? lastLabels[c] : cell)) : own
    if (!continued) lastLabels = own
    if (sectionRow(r)) {
      section = row.find((c) => c?.text.trim())
      continue
    }
    for (let c = 0; c < width; c++) {
      const cell = row[c]
      if (!cell?.text.trim() || kind[c] !== 'value' || otherExam[c]) continue
      const number = isNumber(cell.text)
      // a wide export's words (a diagnosis, a pattern) are statements too; a long table's are labels
      if (!number && !(wide && informative(cell.text) && kind[c] !== 'unit')) continue
      if (!number && labelCols.has(c) && !wide) continue
      const parts: TableCell[] = []
      // column headers, outermost first, a repeated one (colspan) once
      let lastHead = ''
      for (let h = 0; h < headerRows; h++) {
        const head = rows[h]?.[c]
        const t = cellText(h, c)
        if (!head || !t || t === lastHead || genericHeader.test(words(t))) continue
        if (labelCols.has(0) && c > 0 && t === cellText(h, 0)) continue
        parts.push(head)
        lastHead = t
      }
      if (section) parts.push(section)
      if (!wide)
        for (const lc of ownLabels(c)) {
          const l = row[lc]
          if (lc !== c && l && informative(l.text)) parts.push(l)
        }
      else if (
        row[0] &&
        c !== 0 &&
        !isNumber(row[0].text) &&
        informative(row[0].text) &&
        body.length > 1
      )
        parts.push(row[0] as TableCell)
      b.newline(cell.start)
      parts.forEach((p, i) => {
        if (i > 0) b.insert(' ', p.start)
        p.render(b)
      })
      b.insert(': ', cell.start)
      renderValue(b, cell)
      if (!number) {
        b.insert('\n', cell.end)
        continue
      }
      const unit = unitCol >= 0 && unitCol !== c ? row[unitCol] : undefined
      const written = /\d\s*[a-zA-Z%µ]/.test(cell.text)
      if (unit?.text.trim() && isUnitCell(unit.text) && !written) {
        b.insert(' ', unit.start)
        const spelled = unitAsRead(unit.text)
        if (spelled) b.insert(spelled, unit.start, unit.end)
        else unit.render(b)
      }
      if (!wide)
        for (const lc of trailing) {
          const after = row[lc]
          if (!after?.text.trim() || lc === c) continue
          b.insert(' ', after.start)
          after.render(b)
        }
      // a range in one cell, or split over low and high columns
      const refs = refCols.map((c) => row[c]).filter((c): c is TableCell => !!c?.text.trim())
      if (refs.length) {
        b.insert(' (ref ', (refs[0] as TableCell).start)
        refs.forEach((ref, i) => {
          if (i > 0) b.insert('-', ref.start)
          ref.render(b)
        })
        b.insert(')', (refs.at(-1) as TableCell).end)
      }
      b.insert('\n', cell.end)
      b.statements++
    }
  }
}

/**
 * A cell's text, its unit in the spelling readers know ("180 cm³" as "180 ml"); the number stays
 * copied, so its evidence is the written number. A cell whose text is not the original's
 * characters (entities decoded) is written as it is.
 */
function renderValue(b: RenderingBuilder, cell: TableCell) {
  const m = /^(\s*[<>≤≥~]?\s*[-+]?\d+(?:[.,]\d+)?)\s*(\S.*?)\s*$/.exec(cell.text)
  const spelled = m && unitAsRead(m[2] as string)
  if (!m || !spelled || b.original.slice(cell.start, cell.end) !== cell.text) return cell.render(b)
  const numberEnd = cell.start + (m[1] as string).length
  b.copy(cell.start, numberEnd).insert(' ', numberEnd).insert(spelled, numberEnd, cell.end)
}

/** Rows of cells as pipe rows: a table of words. */
export function renderRows(b: RenderingBuilder, rows: readonly (TableCell | undefined)[][]) {
  for (const row of rows) {
    const first = row.find(Boolean)
    if (!first) continue
    b.newline(first.start)
    for (const cell of row) {
      b.insert('| ', cell?.start ?? first.start)
      cell?.render(b)
      b.insert(' ', cell?.end ?? first.start)
    }
    b.insert('|\n', first.start)
  }
}
