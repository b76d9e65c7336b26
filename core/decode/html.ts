/**
 * HTML from a report viewer: tables become pipe tables (one row a line, header rows and header
 * columns kept where they are, colspan and rowspan filled in), block elements and <br> become line
 * breaks, entities are decoded, head, script and style are left out. The layout stage reads the
 * pipe tables as it reads any other.
 */
import { decodeHTML } from 'entities'
import { type MarkupEvent, markupEvents, renderMarkupText } from './markup-events.ts'
import { type Rendering, RenderingBuilder } from './rendering.ts'
import { renderTableStatements, type TableCell } from './table.ts'

const blocks = new Set(
  'address article aside blockquote br caption dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot thead tr ul'.split(
    ' ',
  ),
)
/** Inline elements that format words without separating them ("m<sup>2</sup>"). */
const formatting = new Set(
  'a abbr b bdi bdo big cite code em font i kbd mark q s small strike strong sub sup time u var wbr'.split(
    ' ',
  ),
)
const skipped = new Set(['head', 'script', 'style', 'noscript', 'template', 'title'])

interface Cell {
  pieces: { start: number; end: number }[]
  start: number
  colspan: number
  rowspan: number
}

interface Table {
  rows: Cell[][]
  row: Cell[] | undefined
  cell: Cell | undefined
  /** Tables opened inside a cell: their text joins the cell. */
  nested: number
}

export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4000)
  return (
    /<(?:!doctype html|html|body|table|div|p|br|span|td|tr|h[1-6])\b[^>]*>/i.test(head) &&
    (head.match(/<\/?[a-z][a-z0-9]*\b[^>]*>/gi)?.length ?? 0) >= 3
  )
}

const layoutCell = (name: string) => name === 'td' || name === 'th'

/** Markup between two pieces of text that separates words: a tag other than formatting. */
const separates = (between: string) =>
  [...between.matchAll(/<\/?([a-z][a-z0-9]*)\b/gi)].some(
    (m) => !formatting.has((m[1] as string).toLowerCase()),
  )

const span = (n: string | undefined) =>
  Math.max(1, Math.min(50, Number.parseInt(n ?? '1', 10) || 1))

/** The cells of a table on a grid, colspan and rowspan filled in (a spanning cell in each of
 * its places), then rendered as statements (table.ts). */
function renderTable(b: RenderingBuilder, text: string, t: Table) {
  const grid: (TableCell | undefined)[][] = []
  const open: ({ cell: TableCell; rows: number } | undefined)[] = []
  // a cell's words: formatting tags join ("m<sup>2</sup>" is m2), other tags separate
  const plain = (c: Cell) => {
    const first = c.pieces[0]
    const last = c.pieces[c.pieces.length - 1]
    if (!first || !last) return ''
    return decodeHTML(
      text
        .slice(first.start, last.end)
        .replace(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi, (_tag, name: string) =>
          formatting.has(name.toLowerCase()) ? '' : ' ',
        ),
    )
      .replace(/\s+/g, ' ')
      .trim()
  }
  for (const row of t.rows) {
    if (row.length === 0) continue
    const out: (TableCell | undefined)[] = []
    let col = 0
    let i = 0
    while (i < row.length || open.slice(col).some((o) => o && o.rows > 0)) {
      const carried = open[col]
      if (carried && carried.rows > 0) {
        carried.rows--
        out[col++] = carried.cell
        continue
      }
      const cell = row[i++]
      if (!cell) break
      const tc: TableCell = {
        text: plain(cell),
        start: cell.start,
        end: cell.pieces[cell.pieces.length - 1]?.end ?? cell.start,
        render: (rb) => {
          cell.pieces.forEach((p, k) => {
            // pieces apart by a tag that is not formatting ("Left<br>ventricle") are words apart
            const prev = cell.pieces[k - 1]
            if (prev && separates(text.slice(prev.end, p.start)) && !/\s$/.test(rb.last()))
              rb.insert(' ', prev.end, p.start)
            renderMarkupText(rb, text, p.start, p.end)
          })
        },
      }
      for (let k = 0; k < cell.colspan; k++) {
        if (cell.rowspan > 1) open[col] = { cell: tc, rows: cell.rowspan - 1 }
        out[col++] = tc
      }
    }
    grid.push(out)
  }
  renderTableStatements(b, grid)
}

export function decodeHtml(text: string): Rendering {
  return renderEvents(text, markupEvents(text, false))
}

/** The table elements (by event index) that hold another table: page layout, not data. Their
 * rows and cells are read as blocks, and the tables inside them as tables. */
function layoutTables(events: readonly MarkupEvent[]): Set<number> {
  const out = new Set<number>()
  const open: number[] = []
  for (const [i, e] of events.entries()) {
    if (e.kind === 'open' && e.name === 'table') {
      for (const o of open) out.add(o)
      open.push(i)
    } else if (e.kind === 'close' && e.name === 'table') open.pop()
  }
  return out
}

function renderEvents(text: string, events: readonly MarkupEvent[]): Rendering {
  const b = new RenderingBuilder(text)
  const layout = layoutTables(events)
  // open tables, innermost last: a data table, or a layout table whose cells are blocks
  const tables: (Table | 'layout')[] = []
  let skip = 0
  let pre = 0
  let apart = false
  for (const [index, e] of events.entries()) {
    if (e.kind === 'open' && skipped.has(e.name)) skip++
    if (skip > 0) {
      if (e.kind === 'close' && skipped.has(e.name)) skip--
      continue
    }
    const top = tables[tables.length - 1]
    const t = top === 'layout' ? undefined : top
    if (e.kind === 'open') {
      if (e.name === 'pre') pre++
      if (e.name === 'table') {
        if (t?.cell) t.nested++
        else if (layout.has(index)) {
          tables.push('layout')
          b.newline(e.start)
        } else tables.push({ rows: [], row: undefined, cell: undefined, nested: 0 })
        continue
      }
      if (t && t.nested === 0) {
        if (e.name === 'tr') {
          t.row = []
          t.rows.push(t.row)
        } else if (e.name === 'td' || e.name === 'th') {
          if (!t.row) {
            t.row = []
            t.rows.push(t.row)
          }
          t.cell = {
            pieces: [],
            start: e.start,
            colspan: span(e.attributes.get('colspan')?.value),
            rowspan: span(e.attributes.get('rowspan')?.value),
          }
          t.row.push(t.cell)
        } else if (e.name === 'br' && t.cell) t.cell.pieces.push({ start: e.start, end: e.start })
        continue
      }
      if (!t && (blocks.has(e.name) || (top === 'layout' && layoutCell(e.name)))) b.newline(e.start)
      else if (!formatting.has(e.name)) apart = true
    } else if (e.kind === 'close') {
      if (e.name === 'pre') pre = Math.max(0, pre - 1)
      if (e.name === 'table' && top === 'layout') {
        tables.pop()
        b.newline(e.at)
        continue
      }
      if (e.name === 'table' && t) {
        if (t.nested > 0) t.nested--
        else {
          tables.pop()
          renderTable(b, text, t)
        }
        continue
      }
      if (t && t.nested === 0) {
        if (e.name === 'td' || e.name === 'th') t.cell = undefined
        if (e.name === 'tr') t.row = undefined
        continue
      }
      if (!t && (blocks.has(e.name) || (top === 'layout' && layoutCell(e.name)))) b.newline(e.at)
      else if (!formatting.has(e.name)) apart = true
    } else if (t) {
      // text in a table belongs to its cell; between cells it is only indentation
      if (t.cell) t.cell.pieces.push({ start: e.start, end: e.end })
    } else {
      // elements styled as cells (<span>LVEDV</span><span>188 ml</span>) are words apart
      if (
        apart &&
        /[\p{L}\p{N}%)]$/u.test(b.last()) &&
        /^[\p{L}\p{N}]/u.test(text.slice(e.start, e.start + 1))
      )
        b.insert(' ', e.start)
      apart = false
      renderMarkupText(b, text, e.start, e.end, pre > 0)
    }
  }
  return b.build('html')
}
