/**
 * A rendering: the text a decoder makes of a report (label: value unit lines, pipe tables,
 * narrative), with the map back to the original. Every reader (scan, layout, encoder, mentions,
 * grounding) reads the rendering; every span it finds is mapped back, so evidence points at the
 * report's own characters. Copied characters map one to one; inserted text (a decoded entity, a
 * UCUM unit spelled out, a key path in words) maps to the original span it stands for.
 * Offsets are UTF-16 code units, start inclusive, end exclusive.
 */

export type DecodedFormat = 'text' | 'hl7' | 'html' | 'xml' | 'json' | 'delimited' | 'pdf'

interface Segment {
  /** Start in the rendering. */
  at: number
  /** The original span it comes from (copied: the same length). */
  from: number
  to: number
  copied: boolean
}

export interface Rendering {
  format: DecodedFormat
  /** The text every reader reads. */
  text: string
  /** Structure decoded into statements: measurements read off their labels (0 for text). */
  statements: number
  segments: readonly Segment[]
}

export interface Span {
  start: number
  end: number
}

/** The rendering of a text that needs no decoding: the text itself. */
export function identity(text: string): Rendering {
  return {
    format: 'text',
    text,
    statements: 0,
    segments: [{ at: 0, from: 0, to: text.length, copied: true }],
  }
}

/** Builds a rendering piece by piece, in order. */
export class RenderingBuilder {
  private parts: string[] = []
  private length = 0
  private readonly segments: Segment[] = []
  statements = 0
  readonly original: string

  constructor(original: string) {
    this.original = original
  }

  /** The original's characters [start, end). */
  copy(start: number, end: number): this {
    if (end <= start) return this
    this.push(this.original.slice(start, end), { from: start, to: end, copied: true })
    return this
  }

  /** Text of the decoder's own, standing for the original span [start, end). */
  insert(text: string, start: number, end: number = start): this {
    if (!text) return this
    this.push(text, { from: start, to: end, copied: false })
    return this
  }

  /** The last character written, '' at the start. */
  last(): string {
    const p = this.parts[this.parts.length - 1]
    return p ? (p[p.length - 1] as string) : ''
  }

  /** A line break unless the rendering is at the start of a line. */
  newline(at: number): this {
    if (this.length > 0 && this.last() !== '\n') this.insert('\n', at)
    return this
  }

  build(format: DecodedFormat): Rendering {
    return {
      format,
      text: this.parts.join(''),
      statements: this.statements,
      segments: this.segments,
    }
  }

  private push(text: string, seg: Omit<Segment, 'at'>) {
    this.segments.push({ at: this.length, ...seg })
    this.parts.push(text)
    this.length += text.length
  }
}

function segmentAt(r: Rendering, offset: number): Segment | undefined {
  const segs = r.segments
  let lo = 0
  let hi = segs.length - 1
  let found: Segment | undefined
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = segs[mid] as Segment
    if (s.at <= offset) {
      found = s
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

/** A span of the rendering as a span of the original text. */
export function toOriginal(r: Rendering, span: Span): Span {
  const a = segmentAt(r, span.start)
  const b = segmentAt(r, Math.max(span.start, span.end - 1))
  if (!a || !b) return span
  const start = a.copied ? a.from + (span.start - a.at) : a.from
  let end = b.copied ? b.from + (span.end - b.at) : b.to
  // a rendering may put later what the original wrote first (a unit attribute before its value):
  // the span keeps what the first piece covers
  if (end <= start) end = a.copied ? Math.min(a.to, a.from + (span.end - a.at)) : a.to
  return { start, end: Math.max(start, end) }
}
