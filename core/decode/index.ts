/**
 * Decoding what hospital systems emit, ahead of every reader: a report is recognised by evidence
 * in its text (never by a file name) and rendered once into text the layout stage reads (label:
 * value unit lines, pipe tables, narrative), with the map back to the original
 * (rendering.ts). Plain text is its own rendering.
 */
import { decodeDelimited } from './delimited.ts'
import { decodeHl7, looksLikeHl7 } from './hl7.ts'
import { decodeHtml, looksLikeHtml } from './html.ts'
import { decodeJson, looksLikeJson } from './json.ts'
import { identity, type Rendering } from './rendering.ts'
import { decodeText } from './text.ts'
import { decodeXml, looksLikeXml } from './xml.ts'

export { type DecodedFormat, type Rendering, type Span, toOriginal } from './rendering.ts'

export function decodeReport(text: string): Rendering {
  const r = decodeFormat(text)
  // a decoder that found almost nothing to read was mistaken about the format: read it as text
  if (r.format !== 'text' && r.statements === 0 && r.text.trim().length < 0.3 * text.trim().length)
    return decodeText(text)
  return r
}

function decodeFormat(text: string): Rendering {
  if (looksLikeHl7(text)) return decodeHl7(text) ?? identity(text)
  if (looksLikeJson(text)) {
    const json = decodeJson(text)
    if (json) return json
  }
  if (looksLikeHtml(text)) return decodeHtml(text)
  if (looksLikeXml(text)) return decodeXml(text)
  return decodeDelimited(text) ?? decodeText(text)
}
