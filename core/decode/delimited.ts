/**
 * Delimited exports (CSV, semicolon and tab separated): the separator is the one that splits most
 * lines into the same number of cells, quoting follows RFC 4180 (a separator or a line break
 * inside double quotes belongs to the cell), decimal commas stay as written. Long tables (one
 * measurement a row) and wide ones (a header row naming many measurements over a row of values)
 * become statements through table.ts; text around the table stays text.
 */
import { type Rendering, RenderingBuilder } from './rendering.ts'
import { headerRowLike, renderTableStatements, type TableCell } from './table.ts'

interface Row {
  start: number
  end: number
  cells: { start: number; end: number }[]
}

/** The rows of the text split at `sep`, quotes respected, with the span of every cell. */
export function rowsOf(text: string, sep: string): Row[] {
  const rows: Row[] = []
  let cells: Row['cells'] = []
  let rowStart = 0
  let cellStart = 0
  let quoted = false
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i]
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === sep) {
      cells.push({ start: cellStart, end: i })
      cellStart = i + 1
    } else if (!quoted && (ch === '\n' || ch === undefined)) {
      const end = i > 0 && text[i - 1] === '\r' ? i - 1 : i
      cells.push({ start: cellStart, end })
      rows.push({ start: rowStart, end, cells })
      cells = []
      rowStart = i + 1
      cellStart = i + 1
    }
  }
  return rows
}

/** A run of consecutive lines with the same number of cells: one table of the export. */
interface Block {
  rows: Row[]
  width: number
}

const bareNumber = /^\s*"?[-+]?\d+(?:[.,]\d+)?"?\s*$/

/**
 * The tables of the text at separator `sep`: runs of consecutive lines (a blank line ends one) with
 * the same number of cells, two lines at least, a value alone in some cell. Prose with commas
 * rarely keeps one comma count over several lines and never leaves a number alone between them.
 */
function blocksOf(text: string, sep: string): { rows: Row[]; blocks: Block[]; lines: number } {
  const blocks: Block[] = []
  let run: Row[] = []
  let lines = 0
  const bare = (r: Row) => r.cells.some((c) => bareNumber.test(text.slice(c.start, c.end)))
  const close = () => {
    const width = run[0]?.cells.length ?? 0
    // a list of two cells is a table only when each line is a name and a value alone, and never
    // at commas, where "EF=61,9" is a decimal comma
    const table =
      run.length >= 2 &&
      width >= 2 &&
      run.some(bare) &&
      (width > 2 ||
        (sep !== ',' &&
          run
            .slice(1)
            .every((r) => bareNumber.test(text.slice(r.cells[1]?.start, r.cells[1]?.end)))))
    // a tab table without a header row of its own is the layout stage's, which the students read
    // (its columns' roles, a prior or a range, are known only from a header)
    const headed = run.length > 0 && !bare(run[0] as Row)
    if (table && (sep !== '\t' || headed)) blocks.push({ rows: run, width })
    run = []
  }
  const rows = rowsOf(text, sep)
  for (const r of rows) {
    if (!text.slice(r.start, r.end).trim()) {
      // a row of empty cells is the table's own (a spacer); a blank line ends the table
      if (run.length && run[0]?.cells.length === r.cells.length && r.cells.length > 1) run.push(r)
      else close()
      continue
    }
    lines++
    // a drawn table ("| LV EDV | 150 ml |") is the layout stage's, which the students read; a
    // pipe-separated export does not open its lines with the separator
    if (sep === '|' && /^\s*\|/.test(text.slice(r.start, r.end))) {
      close()
      continue
    }
    if (run.length && run[0]?.cells.length !== r.cells.length) close()
    run.push(r)
  }
  close()
  return { rows, blocks, lines }
}

/** The separator whose tables cover most lines, when they cover most of the text; none for prose. */
function tablesOf(text: string): { rows: Row[]; blockOf: Map<Row, Block> } | undefined {
  let best: { rows: Row[]; covered: number; blocks: Block[] } | undefined
  for (const sep of [';', ',', '\t', '|']) {
    const { rows, blocks, lines } = blocksOf(text, sep)
    const covered = blocks.reduce((n, b) => n + b.rows.length, 0)
    if (covered > 0 && covered >= 0.5 * lines && (!best || covered > best.covered))
      best = { rows, covered, blocks }
  }
  if (!best) return undefined
  const blockOf = new Map<Row, Block>()
  for (const block of best.blocks) for (const r of block.rows) blockOf.set(r, block)
  return { rows: best.rows, blockOf }
}

const unquote = (text: string, c: { start: number; end: number }) => {
  let { start, end } = c
  while (start < end && /\s/.test(text[start] as string)) start++
  while (end > start && /\s/.test(text[end - 1] as string)) end--
  if (text[start] === '"' && text[end - 1] === '"' && end - start >= 2) {
    start++
    end--
  }
  return { start, end }
}

export function decodeDelimited(text: string): Rendering | undefined {
  const found = tablesOf(text)
  if (!found) return undefined
  const b = new RenderingBuilder(text)
  const { rows, blockOf } = found
  const table: (TableCell | undefined)[][] = []
  let current: Block | undefined
  // the last row of column names: a table of the same width without its own header takes it
  // ("# columns: group|field|value|unit", then one block of rows per section)
  let header: Row | undefined
  const named = (r: Row) =>
    r.cells.length > 1 && !r.cells.some((c) => bareNumber.test(text.slice(c.start, c.end)))
  const flush = () => {
    if (table.length) renderTableStatements(b, table)
    table.length = 0
  }
  for (const r of rows) {
    const block = blockOf.get(r)
    if (block !== current) {
      flush()
      if (block && header && !named(block.rows[0] as Row) && header.cells.length === block.width)
        table.push(cellsOf(text, header))
    }
    current = block
    if (!text.slice(r.start, r.end).trim()) continue
    // a header row again after rows of values ("Right ventricle;Value;Unit;Normal", repeated for
    // each chamber) heads a new table: what is above it is rendered under its own header
    const cells = r.cells.map((c) => text.slice(c.start, c.end))
    if (
      block &&
      named(r) &&
      headerRowLike(cells) &&
      table.some((row) => row.some((c) => c && bareNumber.test(c.text)))
    )
      flush()
    if (named(r)) header = r
    if (!block) {
      // a title line, a footer, a note: text
      flush()
      b.newline(r.start).copy(r.start, r.end).insert('\n', r.end)
      continue
    }
    table.push(cellsOf(text, r))
  }
  flush()
  return b.build('delimited')
}

/** A row's cells for the table renderer, quotes taken off, each copied from the original. */
function cellsOf(text: string, r: Row): TableCell[] {
  return r.cells.map((c) => {
    const u = unquote(text, c)
    const cellText = text.slice(u.start, u.end).replace(/""/g, '"')
    return {
      text: cellText,
      start: u.start,
      end: u.end,
      render: (rb: RenderingBuilder) => {
        // a quoted cell may hold line breaks: one line a statement
        let at = u.start
        for (const m of cellText.matchAll(/\s*\n\s*/g)) {
          const from = u.start + (m.index ?? 0)
          rb.copy(at, from).insert(' ', from, from + m[0].length)
          at = from + m[0].length
        }
        rb.copy(at, u.end)
      },
    }
  })
}
