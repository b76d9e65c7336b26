/**
 * Compact prose, written out: slash-ordered groups ("LV EDV/ESV/SV/EF 204/112/92/45 %",
 * "indexed EDV/ESV 103/56 ml/m2", "RA/LA area 4ch 20/25 cm2") become one statement per name,
 * the words around the group repeated for each ("LV EDV 204, LV ESV 112, ..."), and "A and B
 * were x and y mL, respectively" becomes "A x mL and B y mL". A ratio ("E/A 1.2", "RV/LV 1.1"), a
 * blood pressure ("BP 120/80") and a value with its index ("160/82") have one name or one value
 * and are left as written. The values are the report's own characters; the names repeated are
 * inserted text pointing at the name they repeat.
 */
import type { RenderingBuilder } from './rendering.ts'

const name = String.raw`[A-Za-z][A-Za-z0-9]{0,7}`
const num = String.raw`\d+(?:[.,]\d+)?`
const unit = String.raw`(?:%|[mµc]?[lL](?:\/m[2²])?|ml\/m[2²]|mL\/m[2²]|g(?:\/m[2²])?|[cm]?m(?:[2²])?|ms|bpm|l\/min(?:\/m[2²])?|L\/min(?:\/m[2²])?)`
// [prefix words] NAME/NAME[/NAME...] [context words] NUM/NUM[/NUM...] [unit]
const slashGroup = new RegExp(
  String.raw`((?:\b[A-Za-z][\w-]*\s+){0,2}?)(${name}(?:\s?\/\s?${name})+)((?:\s+(?!\d+(?:[.,]\d+)?(?:[\s\/]|$))[\w-]+){0,3})\s+(${num}(?:\s?\/\s?${num})+)(?:\s*(${unit})(?![A-Za-z]))?`,
  'g',
)
const respectively = new RegExp(
  String.raw`\b([A-Za-z][\w -]{0,40}?)\s+and\s+([A-Za-z][\w -]{0,40}?)\s+(?:were|was|are|is|measured?|of|at)\s+(${num})\s*(${unit})?\s+and\s+(${num})\s*(${unit})?,?\s+respectively`,
  'gi',
)

interface Piece {
  start: number
  end: number
}

function pieces(from: number, group: string, sep: RegExp): Piece[] {
  const out: Piece[] = []
  let at = 0
  for (const part of group.split(sep)) {
    const i = group.indexOf(part, at)
    out.push({ start: from + i, end: from + i + part.length })
    at = i + part.length
  }
  return out
}

/** The line [start, end) into the rendering with its groups written out. */
export function renderProse(b: RenderingBuilder, text: string, start: number, end: number): number {
  const line = text.slice(start, end)
  let statements = 0
  const found: { at: number; end: number; emit: () => void }[] = []
  for (const m of line.matchAll(slashGroup)) {
    const at = m.index ?? 0
    const prefix = m[1] ?? ''
    const namesText = m[2] as string
    const context = m[3] ?? ''
    const valuesText = m[4] as string
    const u = m[5]
    const namesAt = start + at + prefix.length
    const names = pieces(namesAt, namesText, /\s?\/\s?/)
    const valuesAt =
      start + at + m[0].indexOf(valuesText, prefix.length + namesText.length + context.length)
    const values = pieces(valuesAt, valuesText, /\s?\/\s?/)
    // one name per value, and words for names: not a ratio, a pressure or a fraction
    if (names.length !== values.length || names.length < 2) continue
    if (names.every((n) => /^\d/.test(text.slice(n.start, n.end)))) continue
    const unitAt = u ? start + at + m[0].lastIndexOf(u) : -1
    found.push({
      at,
      end: at + m[0].length,
      emit: () => {
        names.forEach((n, k) => {
          if (k > 0) b.insert(', ', n.start)
          if (prefix) b.insert(prefix, start + at, start + at + prefix.length)
          if (k === 0) b.copy(n.start, n.end)
          else b.insert(text.slice(n.start, n.end), n.start, n.end)
          if (context)
            b.insert(
              context,
              namesAt + namesText.length,
              namesAt + namesText.length + context.length,
            )
          b.insert(' ', n.end)
          const v = values[k] as Piece
          b.copy(v.start, v.end)
          // a trailing "%" is the last value's; any other unit is every value's
          if (u && (k === names.length - 1 || u !== '%')) {
            b.insert(' ', unitAt)
            if (k === names.length - 1) b.copy(unitAt, unitAt + u.length)
            else b.insert(u, unitAt, unitAt + u.length)
          }
          statements++
        })
      },
    })
  }
  for (const m of line.matchAll(respectively)) {
    const at = m.index ?? 0
    if (found.some((f) => at < f.end && at + m[0].length > f.at)) continue
    const a = m[1] as string
    const bName = m[2] as string
    const aAt = start + at
    const bAt = start + at + m[0].indexOf(bName, a.length)
    const v1 = m[3] as string
    const v1At = start + at + m[0].indexOf(v1, bAt - start - at + bName.length)
    const v2 = m[5] as string
    const v2At = start + at + m[0].lastIndexOf(v2, m[0].lastIndexOf('respectively'))
    const u = m[6] ?? m[4]
    found.push({
      at,
      end: at + m[0].length,
      emit: () => {
        b.copy(aAt, aAt + a.length)
          .insert(' ', aAt + a.length)
          .copy(v1At, v1At + v1.length)
        if (u) b.insert(` ${u}`, v2At + v2.length)
        b.insert(' and ', bAt)
          .copy(bAt, bAt + bName.length)
          .insert(' ', bAt + bName.length)
        b.copy(v2At, v2At + v2.length)
        if (u) b.insert(` ${u}`, v2At + v2.length)
        statements += 2
      },
    })
  }
  found.sort((x, y) => x.at - y.at)
  let at = 0
  for (const f of found) {
    if (f.at < at) continue
    b.copy(start + at, start + f.at)
    f.emit()
    at = f.end
  }
  b.copy(start + at, end)
  return statements
}
