/**
 * HTML and XML as events with offsets into the original text (htmlparser2, entities left as
 * written so that every offset is the report's own): an element opens with its attributes and the
 * span of each attribute's value, text runs, an element closes. Entities are decoded here, piece
 * by piece, so a rendering can copy the characters around them.
 */
import { decodeHTML } from 'entities'
import { Parser } from 'htmlparser2'
import type { RenderingBuilder } from './rendering.ts'

export interface Attribute {
  value: string
  /** Span of the value in the original (inside its quotes). */
  start: number
  end: number
}

export type MarkupEvent =
  | { kind: 'open'; name: string; attributes: Map<string, Attribute>; start: number; end: number }
  | { kind: 'text'; start: number; end: number }
  | { kind: 'close'; name: string; at: number }

/** Attribute values with their spans, read off the tag's own source. */
function attributeSpans(text: string, start: number, end: number): Map<string, Attribute> {
  const out = new Map<string, Attribute>()
  const tag = text.slice(start, end)
  const re = /([^\s=/<>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/g
  for (let m = re.exec(tag); m; m = re.exec(tag)) {
    const raw = m[2] ?? m[3] ?? m[4] ?? ''
    const at = start + m.index + m[0].length - raw.length - (m[4] === undefined ? 1 : 0)
    out.set((m[1] as string).toLowerCase(), {
      value: decodeHTML(raw),
      start: at,
      end: at + raw.length,
    })
  }
  return out
}

export function markupEvents(text: string, xml: boolean): MarkupEvent[] {
  const events: MarkupEvent[] = []
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        const start = parser.startIndex
        const end = parser.endIndex + 1
        events.push({
          kind: 'open',
          name,
          attributes: attributeSpans(text, start, end),
          start,
          end,
        })
      },
      ontext(data) {
        const start = parser.startIndex
        // a CDATA section's text comes without its brackets: its span runs to the parser's end
        const end = text.startsWith('<![CDATA[', start) ? parser.endIndex + 1 : start + data.length
        events.push({ kind: 'text', start, end })
      },
      onclosetag(name) {
        events.push({ kind: 'close', name, at: parser.startIndex })
      },
    },
    { xmlMode: xml, decodeEntities: false, lowerCaseTags: !xml, recognizeCDATA: true },
  )
  parser.write(text)
  parser.end()
  return events
}

/** The text [start, end) into the rendering: entities decoded (a no-break space as a space),
 * whitespace runs as one space, or as written where `keepLines` (a pre block). */
export function renderMarkupText(
  b: RenderingBuilder,
  text: string,
  start: number,
  end: number,
  keepLines = false,
) {
  const piece = text.slice(start, end)
  const re = keepLines
    ? /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);?|<!\[CDATA\[|\]\]>/gi
    : /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);?|<!\[CDATA\[|\]\]>|\s+/gi
  let at = 0
  for (let m = re.exec(piece); m; m = re.exec(piece)) {
    const s = m[0]
    b.copy(start + at, start + m.index)
    const from = start + m.index
    if (s === '<![CDATA[' || s === ']]>') {
      // CDATA's brackets: its text is text
      if (b.last() !== ' ' && b.last() !== '\n' && b.last() !== '')
        b.insert(' ', from, from + s.length)
    } else if (/^\s/.test(s)) {
      if (s === ' ') b.copy(from, from + 1)
      else if (b.last() !== ' ' && b.last() !== '\n' && b.last() !== '')
        b.insert(' ', from, from + s.length)
    } else {
      const decoded = decodeHTML(s).replace(/\u00a0/g, ' ')
      if (decoded === s) b.copy(from, from + s.length)
      else b.insert(decoded, from, from + s.length)
    }
    at = m.index + s.length
  }
  b.copy(start + at, end)
}
