/**
 * Structure in a report that the reading has not decoded: HL7 v2 segments, tags (HTML, XML or an
 * unknown markup), JSON keys, delimited rows, and separators no format radstruct knows. Found by
 * evidence in the text, never by a file name. A report whose numbers sit inside such structure
 * was read as flat text, and its silences mean little.
 */

export type MarkupKind = 'hl7' | 'tags' | 'json' | 'delimited' | 'separators'

export interface MarkupFound {
  kind: MarkupKind
  /** Segments, tags, keys, rows or separators found. */
  count: number
  /** Character ranges the structure covers (lines or the whole text), for the numbers in them. */
  ranges: { start: number; end: number }[]
}

export const markupNames: Record<MarkupKind, string> = {
  hl7: 'HL7 v2 segments',
  tags: 'markup tags',
  json: 'JSON keys',
  delimited: 'delimited rows',
  separators: 'unknown separators',
}

const hl7Segment = /(?:^|[\r\n])([A-Z][A-Z0-9]{2})\|/g
const tag = /<\/?[A-Za-z][\w:.-]*(?:\s[^<>]*)?\/?>/g
const jsonKey = /"[^"\r\n]{1,80}"\s*:/g
/** Punctuation and symbols a report's prose and the layout stage's tables use. */
const commonMarks = new Set([...'.,;:!?()[]{}<>/\\%-+=*\'"#&_|~^°²³µ–—’‘“”…·•×±→←↑↓≥≤@$€£§¶'])

/** Frames of boxed tables, which the layout stage reads. */
const boxDrawing = /[\u2500-\u259f]/

/** Lines with at least three cells split by one delimiter, in a run of three or more lines with
 * the same number of cells: a delimited export. */
function delimitedRows(text: string): MarkupFound | undefined {
  const ranges: { start: number; end: number }[] = []
  // tabs are the layout stage's (tab tables); semicolons and commas are an export's
  for (const d of [';', ',']) {
    let runStart = -1
    let runCells = -1
    let runLines = 0
    let offset = 0
    let found = 0
    const lines = text.split('\n')
    const close = (end: number) => {
      if (runLines >= 3) {
        ranges.push({ start: runStart, end })
        found += runLines
      }
      runLines = 0
      runCells = -1
    }
    for (const line of lines) {
      const cells = line.split(d).length
      // prose has commas: a comma row needs a number in most cells
      const numeric = d !== ',' || line.split(d).filter((c) => /\d/.test(c)).length >= cells / 2
      if (cells >= 3 && numeric && (runCells === -1 || cells === runCells)) {
        if (runLines === 0) runStart = offset
        runCells = cells
        runLines++
      } else close(offset)
      offset += line.length + 1
    }
    close(offset)
    if (found > 0) return { kind: 'delimited', count: found, ranges }
  }
  return undefined
}

function count(re: RegExp, text: string): number {
  re.lastIndex = 0
  let n = 0
  while (re.exec(text)) n++
  return n
}

/** Structure found in the text; an empty list for prose, lists and the tables the layout reads. */
export function findMarkup(text: string): MarkupFound[] {
  const whole = [{ start: 0, end: text.length }]
  const out: MarkupFound[] = []
  const segments = count(hl7Segment, text)
  if (segments >= 2) out.push({ kind: 'hl7', count: segments, ranges: whole })
  const tags = count(tag, text)
  if (tags >= 4) out.push({ kind: 'tags', count: tags, ranges: whole })
  const keys = count(jsonKey, text)
  if (keys >= 4 && /^\s*[[{]/.test(text)) out.push({ kind: 'json', count: keys, ranges: whole })
  if (segments < 2) {
    const rows = delimitedRows(text)
    if (rows) out.push(rows)
  }
  const odd = new Map<string, number>()
  for (const ch of text)
    if (/[\p{P}\p{S}]/u.test(ch) && !commonMarks.has(ch) && !boxDrawing.test(ch))
      odd.set(ch, (odd.get(ch) ?? 0) + 1)
  const oddCount = Math.max(0, ...odd.values())
  if (oddCount >= 4) out.push({ kind: 'separators', count: oddCount, ranges: whole })
  return out
}
