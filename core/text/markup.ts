/**
 * Structure in a report that the reading has not decoded: HL7 v2 segments, tags (HTML, XML or an
 * unknown markup), JSON keys, delimited rows, and separators no format radstruct knows. Found by
 * evidence in the text, never by a file name. A report whose numbers sit inside such structure
 * was read as flat text, and its silences mean little.
 */

import { rowsOf } from '../decode/delimited.ts'

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

/** Frames of boxed tables, which the layout stage reads, and the punctuation of CJK prose
 * (、。「」 and the full-width forms), which is prose, not structure. */
const boxDrawing = /[\u2500-\u259f\u3000-\u303f\uff00-\uffef]/

/** A cell that is a value alone: a number (decimal point or comma), maybe quoted. */
const pureNumber = /^\s*"?[-+]?\d+(?:[.,]\d+)?"?\s*$/

/** Lines with at least three cells split by one delimiter, in a run of three or more lines with
 * the same number of cells (or two lines of six cells or more: a wide export's header row over
 * its values): a delimited export. Its rows hold values alone in cells, where prose with commas
 * ("EDV 191 mL, ESV 123 mL, EF 36 %") holds a label beside each number. */
function delimitedRows(text: string): MarkupFound | undefined {
  const lines = text.split('\n')
  // tabs are the layout stage's (tab tables); semicolons and commas are an export's
  for (const d of [';', ',']) {
    const ranges: { start: number; end: number }[] = []
    let found = 0
    let run = { start: 0, lines: 0, cells: -1, valued: 0, wide: false }
    const close = (end: number) => {
      const long = run.lines >= 3 && run.valued >= (2 * run.lines) / 3
      const wide = run.lines === 2 && run.cells >= 6 && run.wide
      if (long || wide) {
        ranges.push({ start: run.start, end })
        found += run.lines
      }
      run = { start: end, lines: 0, cells: -1, valued: 0, wide: false }
    }
    let offset = 0
    for (const line of lines) {
      const parts = splitCells(line, d)
      if (parts.length < 3 || (run.cells !== -1 && parts.length !== run.cells)) close(offset)
      if (parts.length >= 3) {
        if (run.lines === 0) run.start = offset
        run.cells = parts.length
        run.lines++
        const values = parts.filter((c) => pureNumber.test(c)).length
        if (values > 0) run.valued++
        if (values >= parts.length / 2) run.wide = true
      }
      offset += line.length + 1
    }
    close(offset)
    if (found > 0) return { kind: 'delimited', count: found, ranges }
  }
  return undefined
}

/** A row's cells (a delimiter inside double quotes does not split), as the decoder reads them. */
function splitCells(line: string, d: string): string[] {
  return rowsOf(line, d)[0]?.cells.map((c) => line.slice(c.start, c.end)) ?? []
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
