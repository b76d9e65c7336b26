/**
 * HL7 v2 result messages (ORU^R01) as the spec writes them: the field separator is the character
 * after "MSH", the encoding characters (component, repetition, escape, subcomponent) are MSH-2, so
 * a message with non-standard ones reads as well as one with `^~\&`. Segments end at CR, LF or
 * CRLF. Each OBX becomes one line "text (code): value unit (ref range)" from OBX-3, -5, -6 and -7
 * (SN values keep their comparator, UCUM units are spelled as reports spell them); NTE and
 * text-valued OBX become narrative; OBR-4 heads its group. PID, PV1, ORC and the other segments
 * carry identifiers and routing, never a measurement: they are left out of the rendering.
 */
import { type Rendering, RenderingBuilder } from './rendering.ts'
import { unitAsRead } from './unit-spelling.ts'

interface Piece {
  start: number
  end: number
}

interface Encoding {
  field: string
  component: string
  repetition: string
  escape: string
  subcomponent: string
}

/** The message header: first in the text, or after MLLP framing (0x0B) and the FHS/BHS headers of
 * a batch file, as the spec's batch protocol writes them. */
const msh = /^[\ufeff\v\s]*(?:[FB]HS[^\r\n]*[\r\n]+\s*)*MSH([^A-Za-z0-9\s])/

export function looksLikeHl7(text: string): boolean {
  return msh.test(text.slice(0, 600))
}

/** Splits [start, end) of the text at `sep`, keeping offsets. */
function split(text: string, start: number, end: number, sep: string): Piece[] {
  const out: Piece[] = []
  let at = start
  for (let i = start; i < end; i++) {
    if (text[i] === sep) {
      out.push({ start: at, end: i })
      at = i + 1
    }
  }
  out.push({ start: at, end })
  return out
}

/** Text of a field with its escapes decoded and component separators read as spaces. */
function renderText(b: RenderingBuilder, text: string, p: Piece, enc: Encoding) {
  let at = p.start
  for (let i = p.start; i < p.end; i++) {
    const ch = text[i] as string
    if (ch === enc.component || ch === enc.subcomponent || ch === enc.repetition) {
      b.copy(at, i).insert(ch === enc.repetition ? '; ' : ' ', i, i + 1)
      at = i + 1
    } else if (ch === enc.escape) {
      const close = text.indexOf(enc.escape, i + 1)
      if (close < 0 || close >= p.end) continue
      const code = text.slice(i + 1, close)
      const decoded =
        code === 'F'
          ? enc.field
          : code === 'S'
            ? enc.component
            : code === 'T'
              ? enc.subcomponent
              : code === 'R'
                ? enc.repetition
                : code === 'E'
                  ? enc.escape
                  : code === '.br'
                    ? '\n'
                    : /^X[0-9A-Fa-f]{2,}$/.test(code)
                      ? hexText(code.slice(1))
                      : // \H\ \N\ (highlighting), \.sp\ and the rest: formatting, not text
                        code.startsWith('.')
                        ? '\n'
                        : ''
      b.copy(at, i).insert(decoded || ' ', i, close + 1)
      at = close + 1
      i = close
    }
  }
  b.copy(at, p.end)
}

function hexText(hex: string): string {
  let out = ''
  for (let i = 0; i + 1 < hex.length; i += 2)
    out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16))
  return out
}

const empty = (p: Piece | undefined): p is undefined => !p || p.end <= p.start

export function decodeHl7(text: string): Rendering | undefined {
  const m = msh.exec(text.slice(0, 600))
  if (!m) return undefined
  const mshAt = m[0].length - 4
  const field = m[1] as string
  const encEnd = text.indexOf(field, mshAt + 4)
  const chars = text.slice(mshAt + 4, encEnd < 0 ? mshAt + 8 : encEnd)
  const enc: Encoding = {
    field,
    component: chars[0] ?? '^',
    repetition: chars[1] ?? '~',
    escape: chars[2] ?? '\\',
    subcomponent: chars[3] ?? '&',
  }
  const b = new RenderingBuilder(text)
  const segments = [...text.matchAll(/[^\r\n]+/g)].map((lm) => {
    const seg = { start: lm.index, end: lm.index + lm[0].length }
    const fields = split(text, seg.start, seg.end, field)
    return { seg, fields, id: text.slice(fields[0]?.start ?? 0, fields[0]?.end ?? 0).trim() }
  })
  const legend = codeLegend(text, segments, enc)
  for (let i = 0; i < segments.length; i++) {
    const { seg, fields, id } = segments[i] as (typeof segments)[number]
    if (id === 'OBR') {
      const service = fields[4]
      if (!empty(service)) {
        const comps = split(text, service.start, service.end, enc.component)
        const name = [comps[1], comps[0]].find((c) => !empty(c))
        if (name) {
          b.newline(seg.start)
          renderText(b, text, name, enc)
          b.insert('\n', seg.end)
        }
      }
    } else if (id === 'OBX') {
      // an observation coded without its text, named by the note after it ("CMR0101" then
      // NTE "LV end-diastolic volume"): the note is its label
      const next = segments[i + 1]
      const coded = !textOf(text, fields[3], enc)
      const note = next?.id === 'NTE' && coded ? next.fields[3] : undefined
      const label = !empty(note) && labelLike(text.slice(note.start, note.end)) ? note : undefined
      const code = coded
        ? split(text, fields[3]?.start ?? 0, fields[3]?.end ?? 0, enc.component)[0]
        : undefined
      const legendLabel =
        !label && code ? legend.get(text.slice(code.start, code.end).trim()) : undefined
      observation(b, text, fields, enc, label ?? legendLabel)
      if (label) i++
    } else if (id === 'NTE') {
      const note = fields[3]
      if (!empty(note)) {
        b.newline(seg.start)
        renderText(b, text, note, enc)
        b.insert('\n', seg.end)
      }
    }
  }
  return b.build('hl7')
}

/** OBX-3's text component (code^text^system), if it has one. */
function textOf(text: string, id: Piece | undefined, enc: Encoding): Piece | undefined {
  if (empty(id)) return undefined
  const name = split(text, id.start, id.end, enc.component)[1]
  return empty(name) ? undefined : name
}

/**
 * A legend of the message's own codes, written in notes or text observations ("HB0110 = LV
 * end-diastolic volume", "CMR07: LV mass"): an OBX coded without text takes its label from it.
 */
function codeLegend(
  text: string,
  segments: readonly { fields: Piece[]; id: string }[],
  enc: Encoding,
): Map<string, Piece> {
  const legend = new Map<string, Piece>()
  for (const s of segments) {
    const f = s.id === 'NTE' ? s.fields[3] : s.id === 'OBX' ? s.fields[5] : undefined
    if (empty(f)) continue
    for (const line of split(text, f.start, f.end, enc.repetition)) {
      const m = /^\s*([A-Za-z0-9][\w.-]{1,19})\s*(?:=|:|–|-{1,2}|\t)\s*(\S.{2,79}?)\s*$/.exec(
        text.slice(line.start, line.end),
      )
      if (!m || !/\d/.test(m[1] as string) || !labelLike(m[2] as string)) continue
      const start = line.start + (m.index ?? 0) + m[0].lastIndexOf(m[2] as string)
      legend.set(m[1] as string, { start, end: start + (m[2] as string).length })
    }
  }
  return legend
}

/** A note that names a measurement: one short phrase of words, not a sentence with numbers. */
const labelLike = (note: string) =>
  note.length <= 80 &&
  /[A-Za-z]{3}/.test(note) &&
  !/\d+(?:[.,]\d+)?\s*(?:%|m[lL]|mm|cm|g)\b/.test(note)

/** One OBX as "text (code): value unit (ref range)", or a narrative paragraph. */
function observation(b: RenderingBuilder, text: string, f: Piece[], enc: Encoding, label?: Piece) {
  const type = text.slice(f[2]?.start ?? 0, f[2]?.end ?? 0)
  const id = f[3]
  const value = f[5]
  if (empty(value)) return
  b.newline(value.start)
  // OBX-4, the sub-ID that groups observations: a word ("LV", "RV", "prior") qualifies the
  // name; a number only orders them
  const sub = f[4]
  if (!empty(sub) && /\p{L}/u.test(text.slice(sub.start, sub.end))) {
    renderText(b, text, sub, enc)
    b.insert(' ', sub.end)
  }
  if (!empty(id)) {
    const comps = split(text, id.start, id.end, enc.component)
    const code = comps[0]
    const name = textOf(text, id, enc) ?? label
    // a code of letters ("LVEDV") names the measurement too; a numeric one (LOINC "8302-2",
    // "CMR0101") would read as numbers
    const named = !empty(code) && /^[A-Za-z][A-Za-z_ .-]*$/.test(text.slice(code.start, code.end))
    if (!empty(name)) {
      renderText(b, text, name, enc)
      if (named) b.insert(' (', code.start).copy(code.start, code.end).insert(')', code.end)
    } else if (!empty(code)) b.copy(code.start, code.end)
    b.insert(': ', id.end)
  }
  if (type === 'SN') {
    // comparator ^ number ^ separator/suffix ^ number: ">" "60", or "1" ":" "2"
    for (const c of split(text, value.start, value.end, enc.component)) b.copy(c.start, c.end)
  } else renderText(b, text, value, enc)
  // SN: "=^55", ">^60", "1^:^2": a number in its components
  const written = text.slice(value.start, value.end).split(enc.component).join('')
  const isNumber = /^\s*[<>=]*\s*[-+]?\d/.test(written)
  const units = f[6]
  if (!empty(units)) {
    const comps = split(text, units.start, units.end, enc.component)
    // the unit's code (UCUM "cm", "mL/m2") before its display text ("centimeter")
    const unit = !empty(comps[0]) ? (comps[0] as Piece) : (comps[1] as Piece)
    const written = text.slice(unit.start, unit.end)
    const word = unitAsRead(written)
    b.insert(' ', unit.start)
    if (word) b.insert(word, unit.start, unit.end)
    else b.copy(unit.start, unit.end)
  }
  const range = f[7]
  if (!empty(range) && isNumber)
    b.insert(' (ref ', range.start).copy(range.start, range.end).insert(')', range.end)
  b.insert('\n', value.end)
  if (isNumber) b.statements++
}
