/**
 * Column headers of aligned tables. In
 *
 *                      LV        RV              Measurement   Today    Prior (2022)
 *   EDV (mL)          246       171              LVEF          36 %     29 %
 *
 * a number's chamber (or its being a prior value) comes from the header above its column, not
 * from the words before it on its line.
 */
export interface ColumnHeader {
  /** Section-wide dimensions the column's header sets, e.g. {chamber: 'rv'}. */
  set: Record<string, string>
  /** The header names another exam or a reference ("Prior", "Normal range"). */
  distractor: boolean
}

interface Cell {
  from: number
  to: number
  header: ColumnHeader
}

export interface Mention {
  start: number
  end: number
  set: Record<string, string>
}

/** Cells of a line: runs of text separated by two or more spaces, a tab or a pipe. */
function cells(line: string): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = []
  for (const m of line.replace(/[|\t]/g, '  ').matchAll(/\S+(?: \S+)*/g))
    out.push({ from: m.index, to: m.index + m[0].length })
  return out
}

/**
 * Maps the start offset of each number in a table row to its column's header. `isSection` says
 * which dimensions reach across a section (chamber, phase); `cueAt` lists distractor cue offsets.
 */
export function tableColumns(
  text: string,
  numberSpans: readonly { start: number; end: number }[],
  terms: readonly Mention[],
  isSection: (dimension: string) => boolean,
  cueAt: readonly number[],
): Map<number, ColumnHeader> {
  const out = new Map<number, ColumnHeader>()
  let header: Cell[] | undefined
  let offset = 0
  // numbers are in text order: a pointer walks them line by line (no scan of all per line)
  let next = 0
  for (const line of text.split('\n')) {
    const lineStart = offset
    offset += line.length + 1
    while (next < numberSpans.length && (numberSpans[next] as { start: number }).start < lineStart)
      next++
    const numbers: { start: number; end: number }[] = []
    for (let k = next; k < numberSpans.length; k++) {
      const n = numberSpans[k] as { start: number; end: number }
      if (n.start >= lineStart + line.length) break
      numbers.push(n)
    }
    if (line.trim() === '') {
      header = undefined
      continue
    }
    const lineCells = cells(line)
    // a header holds no measurement: numbers only in brackets ("Prior (2022)")
    const bare = numbers.some((n) => !/\([^)]*$/.test(line.slice(0, n.start - lineStart)))
    const candidate = bare
      ? undefined
      : headerOf(line, lineStart, lineCells, terms, isSection, cueAt)
    if (candidate) {
      header = candidate
      continue
    }
    if (!header || numbers.length === 0) continue
    for (const n of numbers) {
      const col = n.start - lineStart
      const colEnd = n.end - lineStart
      let best: Cell | undefined
      let bestD = Number.POSITIVE_INFINITY
      for (const c of header) {
        const d = Math.max(0, c.from - colEnd, col - c.to)
        if (d < bestD) {
          bestD = d
          best = c
        }
      }
      if (best && bestD <= 4) out.set(n.start, best.header)
    }
  }
  return out
}

function headerOf(
  line: string,
  lineStart: number,
  lineCells: { from: number; to: number }[],
  terms: readonly Mention[],
  isSection: (dimension: string) => boolean,
  cueAt: readonly number[],
): Cell[] | undefined {
  if (lineCells.length < 2 || lineCells.some((c) => /^\d/.test(line.slice(c.from, c.to))))
    return undefined
  const result: Cell[] = lineCells.map((c) => {
    const from = lineStart + c.from
    const to = lineStart + c.to
    const set: Record<string, string> = {}
    for (const t of terms) {
      if (t.start < from || t.end > to) continue
      for (const [d, v] of Object.entries(t.set)) if (isSection(d)) set[d] = v
    }
    return {
      from: c.from,
      to: c.to,
      header: { set, distractor: cueAt.some((p) => p >= from && p < to) },
    }
  })
  const informative = result.filter((c) => Object.keys(c.header.set).length > 0)
  const distinctSets = new Set(informative.map((c) => JSON.stringify(c.header.set)))
  const cueCells = result.filter((c) => c.header.distractor).length
  const isHeader = distinctSets.size >= 2 || (cueCells >= 1 && cueCells < result.length)
  return isHeader ? result : undefined
}
