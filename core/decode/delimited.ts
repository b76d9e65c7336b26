/**
 * Delimited exports (CSV, semicolon and tab separated): the separator is the one that splits most
 * lines into the same number of cells, quoting follows RFC 4180 (a separator or a line break
 * inside double quotes belongs to the cell), decimal commas stay as written. Long tables (one
 * measurement a row) and wide ones (a header row naming many measurements over a row of values)
 * become statements through table.ts; text around the table stays text.
 */
import { type Rendering, RenderingBuilder } from './rendering.ts'
import { renderTableStatements, type TableCell } from './table.ts'

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

/** The separator most lines agree on, and how many cells they have; none for prose. */
function separatorOf(text: string): { sep: string; rows: Row[]; width: number } | undefined {
  let best: { sep: string; rows: Row[]; width: number; agree: number } | undefined
  // pipes and long tab tables are the layout stage's (the students trained on them); a wide tab
  // export (a header row over a few rows of values) is decoded here
  for (const sep of [';', ',', '\t']) {
    const rows = rowsOf(text, sep).filter((r) => text.slice(r.start, r.end).trim())
    const counts = new Map<number, number>()
    for (const r of rows)
      if (r.cells.length >= 3) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1)
    const [width, agree] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [0, 0]
    // a table is most of the text: two rows at least, and a value alone in some cell
    const valued = rows.some((r) =>
      r.cells.some((c) => /^\s*"?[-+]?\d+(?:[.,]\d+)?"?\s*$/.test(text.slice(c.start, c.end))),
    )
    if (sep === '\t' && (agree > 4 || width < 6)) continue
    if (agree >= 2 && valued && agree >= 0.6 * rows.length && (!best || agree > best.agree))
      best = { sep, rows, width, agree }
  }
  return best
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
  const found = separatorOf(text)
  if (!found) return undefined
  const b = new RenderingBuilder(text)
  const { rows, width } = found
  const table: (TableCell | undefined)[][] = []
  const flush = () => {
    if (table.length) renderTableStatements(b, table)
    table.length = 0
  }
  for (const r of rows) {
    if (r.cells.length !== width) {
      // a title line, a footer, a note: text
      flush()
      b.newline(r.start).copy(r.start, r.end).insert('\n', r.end)
      continue
    }
    table.push(
      r.cells.map((c) => {
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
      }),
    )
  }
  flush()
  return b.build('delimited')
}
