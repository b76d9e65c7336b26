/**
 * Text as it comes: prose groups written out (prose.ts), and where the text shows it was
 * extracted from a PDF (form feeds, ligatures, words hyphenated across lines, "Page 1/2"
 * furniture repeated on every page), the extraction undone: ligatures spelled, a word broken at
 * the line end joined, running headers and footers dropped, and two columns merged line by line
 * read column by column. Plain text without any of it is its own rendering.
 */
import { renderProse } from './prose.ts'
import { identity, type Rendering, RenderingBuilder } from './rendering.ts'
import { genericHeader } from './table.ts'

const ligatures: Record<string, string> = {
  ﬀ: 'ff',
  ﬁ: 'fi',
  ﬂ: 'fl',
  ﬃ: 'ffi',
  ﬄ: 'ffl',
  ﬅ: 'st',
  ﬆ: 'st',
}
const ligatureRe = /[ﬀﬁﬂﬃﬄﬅﬆ]/
const hyphenBreak = /[a-zäöüéèàç]{2}-\r?\n[ \t]*[a-zäöüéèàç]/
const pageMark =
  /\b(?:page|seite|pagina|página|pag\.?)\s*\d+(?:\s*(?:\/|of|von|de|di|van)\s*\d+)?\b/i

interface Line {
  start: number
  end: number
}

function linesOf(text: string): Line[] {
  const out: Line[] = []
  let at = 0
  for (const l of text.split('\n')) {
    const end = at + l.length
    out.push({ start: at, end: l.endsWith('\r') ? end - 1 : end })
    at = end + 1
  }
  return out
}

/** Lines that repeat on every page: the same text (digits aside) three times, or twice with a
 * form feed or a page mark. */
function furniture(text: string, lines: readonly Line[], pages: number): Set<number> {
  const key = (l: Line) => text.slice(l.start, l.end).trim().replace(/\d+/g, '#')
  const counts = new Map<string, number>()
  for (const l of lines) {
    const k = key(l)
    if (k.length >= 6) counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  const out = new Set<number>()
  // a page's first and last lines: next to a form feed, or to the start or end of the text
  const edge = new Set<number>()
  lines.forEach((l, i) => {
    const before = text.slice(Math.max(0, l.start - 2), l.start)
    if (i === 0 || before.includes('\f')) for (let k = i; k < i + 3; k++) edge.add(k)
    if (i === lines.length - 1 || text.slice(l.end, l.end + 2).includes('\f'))
      for (let k = i - 2; k <= i; k++) edge.add(k)
  })
  lines.forEach((l, i) => {
    const k = key(l)
    const n = counts.get(k) ?? 0
    const own = text.slice(l.start, l.end)
    // repeated at a page's edge, or a page number: furniture; a label repeated in the body is not
    const atEdge = edge.has(i) || pageMark.test(own)
    if (
      (n >= 2 && atEdge && (pages >= 2 || pageMark.test(own))) ||
      /^\s*(?:-\s*)?\d+\s*(?:-\s*)?$/.test(own)
    )
      if (k.length >= 6 || /^\s*\d+\s*$/.test(own)) out.add(i)
  })
  return out
}

/** A run of three lines or more split by a wide gap at about the same column: two columns. */
function columnSplit(
  text: string,
  lines: readonly Line[],
  from: number,
): { until: number; cut: number[]; resume: number[] } | undefined {
  const gapAt = (l: Line) => {
    const m = /\S( {5,})\S/.exec(text.slice(l.start, l.end))
    return m ? l.start + m.index + 1 : -1
  }
  const gapEnd = (at: number) => {
    let e = at
    while (text[e] === ' ') e++
    return e
  }
  const first = lines[from]
  if (!first) return undefined
  const g0 = gapAt(first)
  if (g0 - first.start < 8) return undefined
  // the right column starts at one column on every line; the left one ends where it ends
  const col = gapEnd(g0) - first.start
  const cut: number[] = []
  let i = from
  for (; i < lines.length; i++) {
    const l = lines[i] as Line
    const g = gapAt(l)
    if (g < 0 || Math.abs(gapEnd(g) - l.start - col) > 3) break
    cut.push(g)
  }
  if (cut.length < 3) return undefined
  // a right "column" of values ("Slagvolym      72 ml") is a table of names and values, which the
  // layout stage reads as it is: only columns of words are two columns of text
  const values = cut.filter((g) => /^\s*[<>≤≥]?\d/.test(text.slice(gapEnd(g), gapEnd(g) + 4)))
  if (values.length >= cut.length / 2) return undefined
  return { until: i, cut, resume: cut.map(gapEnd) }
}

// a value with its unit, then perhaps a bracket or, after a gap, its index or range
// ("214 ml      index 111,9 ml/m²", "33,6 %     (ref. 48–74 %)")
const valueLine =
  /^\s*[<>≤≥]?\s*\d+(?:[.,]\d+)?(?:\s?\/\s?\d+(?:[.,]\d+)?)?\s*(?:[a-zA-Zµ%/²³]+[23]?(?:\/[a-zA-Z²0-9]+)*)?\s*(?:\([^)]*\)|\s{2,}[^\s.;:!?][^.;:!?]{0,40})?\s*$/
const rangeLine = /^\s*(?:[<>≤≥]\s*\d|\d+(?:[.,]\d+)?\s*[-–—]\s*\d)/
/** A label of a linearised table: a few words, no sentence, not a word broken at the end. */
const labelLine = (t: string) =>
  !/[-.,;:?!]\s*$/.test(t) &&
  /\p{L}{2}/u.test(t) &&
  !/\d{2,}/.test(t.replace(/\b\d[A-Za-z]{1,3}\b/g, '')) &&
  t.trim().length <= 60

/** Lines i.. holding n labels (a header line such as "Value" aside), then n value lines, then
 * maybe n range lines: a measurement table pdftotext wrote one column after the other. */
function labelValueBlocks(
  text: string,
  lines: readonly Line[],
  from: number,
  dropped: ReadonlySet<number>,
) {
  const body: number[] = []
  for (let i = from; i < lines.length && body.length < 400; i++) if (!dropped.has(i)) body.push(i)
  const t = (i: number) => text.slice((lines[i] as Line).start, (lines[i] as Line).end)
  let n = 0
  while (
    n < body.length &&
    labelLine(t(body[n] as number)) &&
    !valueLine.test(t(body[n] as number))
  )
    n++
  if (n < 3) return undefined
  // the values' block may open with a header line ("Value"): it is a label line too
  const v = n
  let values = 0
  while (v + values < body.length && valueLine.test(t(body[v + values] as number))) values++
  let labels = body.slice(0, n)
  // the values' column header ("Value") closes the label block
  if (genericHeader.test(t(labels[labels.length - 1] as number).trim()))
    labels = labels.slice(0, -1)
  if (values < 3) return undefined
  if (values < labels.length) labels = labels.slice(labels.length - values)
  if (values > labels.length) return undefined
  const valueIdx = body.slice(v, v + values)
  let r = v + values
  // the ranges' column header ("Normal range") may open their block
  if (r < body.length && labelLine(t(body[r] as number)) && !rangeLine.test(t(body[r] as number)))
    r++
  let refs: number[] | undefined
  let ranges = 0
  while (r + ranges < body.length && rangeLine.test(t(body[r + ranges] as number))) ranges++
  if (ranges >= values) refs = body.slice(r, r + values)
  const last = (refs ?? valueIdx)[(refs ?? valueIdx).length - 1] as number
  // up to two label lines before the paired ones are headings ("Parameter"): text
  const lead = body.slice(0, body.indexOf(labels[0] as number))
  if (lead.length > 2) return undefined
  return { lead, labels, values: valueIdx, refs, until: last + 1 }
}

/** A value with its unit in a row of values: "246 ml", "1.85 m²", "100/62 mmHg", "90 /min". */
const rowValue =
  /[<>≤≥]?\d+(?:[.,]\d+)?(?:\s?\/\s?\d+(?:[.,]\d+)?)?(?:\s?(?:%|\/min|[a-zA-Zµ]+[²³23]?(?:\/[a-zA-Z]+[²³23]?)*))?/y

/** The values of a line that holds nothing else, with their spans; undefined otherwise. */
function rowValues(text: string, l: Line): Line[] | undefined {
  const out: Line[] = []
  let at = l.start
  for (;;) {
    while (at < l.end && /[ \t]/.test(text[at] as string)) at++
    if (at >= l.end) break
    rowValue.lastIndex = at
    const m = rowValue.exec(text)
    if (!m || m.index !== at || !/\d/.test(m[0]) || at + m[0].length > l.end) return undefined
    out.push({ start: at, end: at + m[0].length })
    at += m[0].length
    if (at < l.end && !/[ \t]/.test(text[at] as string)) return undefined
  }
  return out
}

/**
 * A header line of names over a line of values, their columns lost to single spaces ("Height
 * Weight BSA Blood pressure" / "167 cm 74 kg 1.85 m² 100/62 mmHg"): a name starts at a capital
 * and takes the lower-case words after it; a short capital prefix ("LV", "RV") joins the name
 * after it while there are more names than values. Undefined unless the counts agree.
 */
function headerOverValues(text: string, names: Line, values: Line): [Line, Line][] | undefined {
  const vals = rowValues(text, values)
  if (!vals || vals.length < 3) return undefined
  const line = text.slice(names.start, names.end)
  if (!labelLine(line) || /\d+(?:[.,]\d+)?\s*(?:%|ml|g|cm|mm)\b/i.test(line)) return undefined
  const words = [...line.matchAll(/\S+/g)].map((m) => ({
    start: names.start + m.index,
    end: names.start + m.index + m[0].length,
    word: m[0],
  }))
  const groups: (typeof words)[] = []
  for (const w of words) {
    if (/^[\p{Lu}\d]/u.test(w.word) || groups.length === 0) groups.push([w])
    else groups[groups.length - 1]?.push(w)
  }
  for (let g = 0; groups.length > vals.length && g < groups.length - 1; ) {
    const only = groups[g] as typeof words
    if (only.length === 1 && /^\p{Lu}{1,3}$/u.test((only[0] as (typeof words)[number]).word)) {
      groups.splice(g, 2, [...only, ...(groups[g + 1] as typeof words)])
    } else g++
  }
  if (groups.length !== vals.length) return undefined
  return groups.map((g, k) => [
    {
      start: (g[0] as (typeof words)[number]).start,
      end: (g[g.length - 1] as (typeof words)[number]).end,
    },
    vals[k] as Line,
  ])
}

export function looksLikePdfText(text: string): boolean {
  return (
    text.includes('\f') ||
    ligatureRe.test(text) ||
    pageMark.test(text) ||
    (text.match(new RegExp(hyphenBreak, 'g'))?.length ?? 0) >= 2
  )
}

/** A line into the rendering: ligatures spelled, its groups written out. */
function renderLine(b: RenderingBuilder, text: string, start: number, end: number) {
  let at = start
  for (let i = start; i < end; i++) {
    const lig = ligatures[text[i] as string]
    if (!lig) continue
    b.statements += renderProse(b, text, at, i)
    b.insert(lig, i, i + 1)
    at = i + 1
  }
  b.statements += renderProse(b, text, at, end)
}

export function decodeText(text: string): Rendering {
  const pdf = looksLikePdfText(text)
  const b = new RenderingBuilder(text)
  // a form feed ends a page and a line: offsets are kept by reading it as a line break
  const lines = linesOf(text.replace(/\f/g, '\n'))
  const pages = (text.match(/\f/g)?.length ?? 0) + 1
  const dropped = pdf ? furniture(text, lines, pages) : new Set<number>()
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line
    if (dropped.has(i)) continue
    // a table written out column by column: in PDF text, and in any text that shows it
    const blocks = labelValueBlocks(text, lines, i, dropped)
    if (blocks) {
      // a table linearised: n labels, then their n values (and n reference ranges) in order
      for (const li of blocks.lead) {
        const ll = lines[li] as Line
        b.newline(ll.start)
        renderLine(b, text, ll.start, ll.end)
        b.insert('\n', ll.end)
      }
      blocks.labels.forEach((li, k) => {
        const ll = lines[li] as Line
        const vl = lines[blocks.values[k] as number] as Line
        b.newline(ll.start)
        renderLine(b, text, ll.start, ll.end)
        b.insert(': ', ll.end)
        renderLine(b, text, vl.start, vl.end)
        const rl = blocks.refs ? (lines[blocks.refs[k] as number] as Line) : undefined
        if (rl) b.insert(' (ref ', rl.start).copy(rl.start, rl.end).insert(')', rl.end)
        b.insert('\n', vl.end)
        b.statements++
      })
      i = blocks.until - 1
      continue
    }
    const next0 = lines[i + 1]
    const row = next0 && !dropped.has(i + 1) ? headerOverValues(text, l, next0) : undefined
    if (row) {
      // names over values: one statement a pair
      for (const [name, value] of row) {
        b.newline(name.start)
        renderLine(b, text, name.start, name.end)
        b.insert(': ', name.end)
        b.copy(value.start, value.end).insert('\n', value.end)
        b.statements++
      }
      i++
      continue
    }
    const cols = pdf ? columnSplit(text, lines, i) : undefined
    if (cols) {
      // the left column's lines, then the right column's
      for (let k = 0; k < cols.cut.length; k++) {
        const ll = lines[i + k] as Line
        b.newline(ll.start)
        renderLine(b, text, ll.start, cols.cut[k] as number)
        b.insert('\n', cols.cut[k] as number)
      }
      for (let k = 0; k < cols.cut.length; k++) {
        const ll = lines[i + k] as Line
        renderLine(b, text, cols.resume[k] as number, ll.end)
        b.insert('\n', ll.end)
      }
      i = cols.until - 1
      continue
    }
    // a word broken at the line end: "repolarisa-" + "tion" reads "repolarisation"
    const next = lines[i + 1]
    const line = text.slice(l.start, l.end)
    if (
      pdf &&
      next &&
      /[a-zäöüéèàç]{2}-$/.test(line) &&
      /^[ \t]*[a-zäöüéèàç]/.test(text.slice(next.start, next.end))
    ) {
      renderLine(b, text, l.start, l.end - 1)
      const lead =
        text.slice(next.start, next.end).length -
        text.slice(next.start, next.end).trimStart().length
      lines[i + 1] = { start: next.start + lead, end: next.end }
      continue
    }
    renderLine(b, text, l.start, l.end)
    if (i < lines.length - 1) b.insert('\n', l.end, lines[i + 1]?.start ?? l.end)
  }
  const r = b.build(pdf ? 'pdf' : 'text')
  // nothing changed: the text is its own rendering (and its spans need no mapping)
  return r.text === text ? identity(text) : r
}
