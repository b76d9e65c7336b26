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
// a value inside a group may carry its own unit ("198/112/86 mL/43 %")
const inner = String.raw`(?:\s?(?:[mµ]?[lL]|g|[cm]m)(?=\s?\/\s?\d))?`
const slashGroup = new RegExp(
  String.raw`((?:\b[A-Za-z][\w-]*\s+){0,2}?)(${name}(?:\s?\/\s?${name})+)((?:\s+(?!\d+(?:[.,]\d+)?(?:[\s\/]|$))[\w-]+){0,3})\s+(${num}${inner}(?:\s?\/\s?${num}${inner})+)(?:\s*(${unit})(?![A-Za-z]))?`,
  'g',
)
// dictated pressures: "104 over 68" is "104/68"
const over = /\b(\d{2,3})\s+(?:over|über|sur|su|sobre|op)\s+(\d{2,3})\b/g
// "A, B and C were x, y and z ml[, respectively]": a list of names, then as many values
const and = String.raw`(?:and|und|et|y|e|en|och|og|&)`
const item = String.raw`[A-Za-z][\w-]*(?:[ \t]+[A-Za-z][\w-]*){0,3}`
const link = String.raw`(?:were|was|are|is|measured|measuring|measures?|of|at|betrugen|betragen|waren|sind|sont|étaient|fueron|son|eran|erano|sono|zijn|foram|são)`
const valueItem = String.raw`${num}(?:\s*${unit}(?![A-Za-z]))?`
const nameList = new RegExp(
  String.raw`\b(${item}(?:\s*,\s*${item})*\s*,?\s+${and}\s+${item})\s*(?:\s${link}\b\s*|[:=]\s*)(${valueItem}(?:\s*,\s*${valueItem})*\s*,?\s+${and}\s+${valueItem})(?:,?\s+(?:respectively|beziehungsweise|bzw\.|respectivement|respectivamente|rispettivamente|respectievelijk))?`,
  'gi',
)
const listSeparator = new RegExp(String.raw`\s*,\s*(?:${and}\s+)?|\s+${and}\s+`, 'i')

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

const words = (s: string) => s.trim().split(/\s+/)

/**
 * A list of n names and n values as n statements, or undefined where the counts differ. Words the
 * first name has beyond the others ("LV end-diastolic, end-systolic and stroke volumes") are a
 * prefix of every name, words the last has beyond them a head noun of every name: "LV
 * end-diastolic volumes 210 ml, LV end-systolic volumes 110 ml, LV stroke volumes 100 ml". A unit
 * written once at the end is every value's ("%" only the last's, as in slash groups).
 */
function listed(
  text: string,
  at: number,
  namesText: string,
  valuesOffset: number,
  valuesText: string,
): ((b: RenderingBuilder) => number) | undefined {
  const names = pieces(at, namesText, listSeparator).filter((p) => p.end > p.start)
  const valuesAt = at + valuesOffset
  const values = pieces(valuesAt, valuesText, listSeparator).filter((p) => p.end > p.start)
  if (names.length !== values.length || names.length < 2) return undefined
  const core = names.length > 2 ? words(text.slice(names[1]?.start, names[1]?.end)).length : 1
  const span = (p: Piece) => text.slice(p.start, p.end)
  const first = names[0] as Piece
  const last = names[names.length - 1] as Piece
  const firstWords = words(span(first))
  const lastWords = words(span(last))
  // the prefix ends where the first name's own words begin; the head begins after the last's
  const prefixLength =
    firstWords.length > core ? span(first).lastIndexOf(firstWords.at(-core) as string) : 0
  const prefix =
    prefixLength > 0 ? { start: first.start, end: first.start + prefixLength } : undefined
  const headFrom = lastWords.length > core ? span(last).indexOf(lastWords[core] as string) : -1
  const head = headFrom > 0 ? { start: last.start + headFrom, end: last.end } : undefined
  const valueParts = values.map((v) => {
    const m = /^(\d+(?:[.,]\d+)?)\s*(.*)$/.exec(span(v)) as RegExpExecArray
    const numberEnd = v.start + (m[1] as string).length
    const unitStart = m[2] ? v.end - (m[2] as string).length : -1
    return { start: v.start, numberEnd, unit: m[2] ? { start: unitStart, end: v.end } : undefined }
  })
  const trailing = valueParts[valueParts.length - 1]?.unit
  return (b) => {
    names.forEach((n, k) => {
      if (k > 0) b.insert(', ', n.start)
      if (prefix && k > 0) b.insert(`${span(prefix)}`, prefix.start, prefix.end)
      // the name's own words (the first name keeps its prefix, the last its head)
      if (k === 0) b.copy(n.start, n.end)
      else b.insert(text.slice(n.start, n.end), n.start, n.end)
      if (head && k < names.length - 1) b.insert(` ${span(head)}`, head.start, head.end)
      b.insert(' ', n.end)
      const v = valueParts[k] as (typeof valueParts)[number]
      b.copy(v.start, v.numberEnd)
      const u = v.unit ?? (trailing && span(trailing) !== '%' ? trailing : undefined)
      if (u) b.insert(` ${span(u)}`, u.start, u.end)
    })
    return names.length
  }
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
          // a unit inside the group is its value's and those before it back to the last unit
          // ("198/112/86 mL/43 %"); a trailing "%" is the last value's; any other trailing
          // unit is every value's without one
          const own = /[A-Za-z%]/.test(text.slice(v.start, v.end))
          const later = values.slice(k + 1).find((w) => /[A-Za-z]/.test(text.slice(w.start, w.end)))
          if (!own && later) {
            const m = /[A-Za-zµ]+$/.exec(text.slice(later.start, later.end)) as RegExpExecArray
            const at = later.end - m[0].length
            b.insert(` ${m[0]}`, at, later.end)
          } else if (u && !own && (k === names.length - 1 || u !== '%')) {
            b.insert(' ', unitAt)
            if (k === names.length - 1) b.copy(unitAt, unitAt + u.length)
            else b.insert(u, unitAt, unitAt + u.length)
          }
          statements++
        })
      },
    })
  }
  for (const m of line.matchAll(nameList)) {
    const at = m.index ?? 0
    if (found.some((f) => at < f.end && at + m[0].length > f.at)) continue
    const list = listed(
      text,
      start + at,
      m[1] as string,
      m[0].indexOf(m[2] as string, (m[1] as string).length),
      m[2] as string,
    )
    if (!list) continue
    found.push({
      at,
      end: at + m[0].length,
      emit: () => {
        statements += list(b)
      },
    })
  }
  for (const m of line.matchAll(over)) {
    const at = m.index ?? 0
    const a = m[1] as string
    const bNum = m[2] as string
    if (Number(a) < 50 || Number(bNum) < 25 || Number(bNum) >= Number(a)) continue
    if (found.some((f) => at < f.end && at + m[0].length > f.at)) continue
    const bAt = start + at + m[0].lastIndexOf(bNum)
    found.push({
      at,
      end: at + m[0].length,
      emit: () => {
        b.copy(start + at, start + at + a.length)
          .insert('/', start + at + a.length, bAt)
          .copy(bAt, bAt + bNum.length)
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
