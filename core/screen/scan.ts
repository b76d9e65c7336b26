/**
 * The screen's one pass over the normalised text. It walks the characters once and stops only
 * where an identifier of some kind may start: a word that starts a label (one hash lookup per
 * word), a word in capitals run into digits (a postcode or national number with letters), a run of
 * digits (phones, national numbers by their check digits, postcodes), an "@" or a spelled "dot", a
 * comma after a name in capitals, a DICOM caret. What it finds there is read by rules.ts. The cost
 * is linear in the text, and the number of labels and kinds does not multiply it.
 */
import {
  isLetter,
  keyLength,
  labelsAt,
  latinLetter,
  lower,
  lowerTable,
  present,
  step,
} from './labels.ts'
import {
  ageOver89,
  bornAt,
  capitalsAt,
  compoundStreetAt,
  dicom,
  emailAround,
  headName,
  nameBeforeParen,
  numbersIn,
  postcodeAt,
  readLabelled,
  type Span,
  surnameBefore,
} from './rules.ts'

const isDigit = (c: number) => c >= 48 && c <= 57
const isUpper = (c: number) => isLetter(c) && lower(c) !== c
// separators inside a run of digits: space ( ) . / -
const inNumber = (c: number) => c === 32 || c === 40 || c === 41 || c === 46 || c === 47 || c === 45
const keyOf = (w: string) => [...w].reduce((h, ch) => step(h, ch.charCodeAt(0)), 0)
const dotKey = keyOf('dot')
const atKey = keyOf('at')

/** The label read at a word, if any: the longest label first, the next if it reads nothing. */
function labelled(text: string, start: number, key: number, next: number): Span | undefined {
  const here = labelsAt(text, start, key, next)
  for (let k = 0; k < here.length; k++) {
    const [rule, label] = here[k] as (typeof here)[number]
    const span = readLabelled(text, rule.role, label, start, start + label.length)
    if (span) return span
  }
}

const add = (out: Span[], f: Span | undefined) => {
  if (f) out.push(f)
}

/** A word from `start`: its labels, and the shapes a word can open. Returns where it ends. */
function readWord(text: string, start: number, out: Span[]): number {
  // the key of its first letters (written out: this loop is the screen's cost)
  const n = text.length
  let i = start
  let key = 0
  for (; i < n; i++) {
    const d = text.charCodeAt(i)
    if (d < 0x250) {
      if (latinLetter[d] !== 1) break
      if (i - start < keyLength) key = (Math.imul(key, 31) + (lowerTable[d] as number)) | 0
    } else if (isLetter(d)) {
      if (i - start < keyLength) key = step(key, d)
    } else break
  }
  const length = i - start
  const next = text.charCodeAt(i)
  if (present[key & 0xffff] === 1) add(out, labelled(text, start, key, next))
  if ((key === dotKey && length === 3) || (key === atKey && length === 2))
    out.push(...emailAround(text, start - 1))
  // capitals run into digits: "SW1A 1AA", "X1234567L", "DE89 3704 ...", "AB 12 34 56 C",
  // "RSSMRA85T10A562S": one, two or six capitals before the first digit
  if (
    (length === 1 || length === 2 || length === 6) &&
    isUpper(text.charCodeAt(start)) &&
    isUpper(text.charCodeAt(i - 1)) &&
    (isDigit(next) || (next === 32 && length === 2 && isDigit(text.charCodeAt(i + 1))))
  )
    add(out, capitalsAt(text, start, length))
  // "Hauptstraße 12", "Storgatan 5", "Schillerstr. 26"
  const gap = next === 46 ? 2 : 1
  if (
    length >= 5 &&
    (next === 32 || (next === 46 && text.charCodeAt(i + 1) === 32)) &&
    isDigit(text.charCodeAt(i + gap))
  )
    add(out, compoundStreetAt(text, start, i))
  return i
}

/** A run of digits and the separators between them, from `start`. Returns where it ends. */
function readDigits(text: string, start: number, out: Span[]): number {
  let end = start + 1
  let j = start + 1
  let digits = 1
  let dots = 0
  while (j < text.length && j - start < 48) {
    const d = text.charCodeAt(j)
    if (isDigit(d)) {
      end = ++j
      digits++
    } else if (inNumber(d)) {
      if (d === 46) dots++
      j++
    } else break
  }
  const prev = text.charCodeAt(start - 1)
  const from = prev === 43 || prev === 40 ? start - 1 : start // "+44 ...", "(020) ..."
  // phones and national numbers have eight digits or more; an IP address has three dots
  if (end - from >= 7 && (digits >= 8 || dots >= 3)) numbersIn(text, from, end, out)
  if (!isDigit(prev) && !isLetter(prev) && mayBePostcode(text, start))
    add(out, postcodeAt(text, start))
  if (digits <= 3 && end - start <= 3 && !isDigit(prev)) add(out, ageOver89(text, start, end))
  return end
}

/** A postcode is followed by its town, a ZIP code stands after its state: tried only where the
 * first group of digits has a postcode's length and what follows it could be one. */
function mayBePostcode(text: string, start: number): boolean {
  let g = start
  while (isDigit(text.charCodeAt(g))) g++
  const group = g - start
  const sep = text.charCodeAt(g)
  // the town after the postcode: "10115 Berlin", "1234 AB Amsterdam", "114 55 Stockholm"
  const at =
    group === 3 && sep === 32 ? g + 3 : group === 4 && isUpper(text.charCodeAt(g + 1)) ? g + 3 : g
  const town = text.charCodeAt(at) === 32 && isUpper(text.charCodeAt(at + 1))
  return (
    group === 5 ||
    ((group === 2 || group === 4) && sep === 45) ||
    ((group === 3 || group === 4) && (town || isUpper(sep)))
  )
}

/** What a punctuation mark at `i` may open. */
function readMark(text: string, i: number, c: number, out: Span[]): void {
  if (c === 64)
    out.push(...emailAround(text, i)) // @
  else if (c === 42)
    add(out, bornAt(text, i)) // *12.03.1957
  else if (c === 94)
    add(out, dicom(text, i)) // ^
  else if (c === 44) {
    // "SMITH, John": capitals before the comma, a capital after it
    if (i >= 3 && isUpper(text.charCodeAt(i - 1)) && isUpper(text.charCodeAt(i - 2))) {
      const after = text.charCodeAt(text.charCodeAt(i + 1) === 32 ? i + 2 : i + 1)
      if (isUpper(after)) add(out, surnameBefore(text, i))
    }
  } else if (c === 40 || c === 91 || c === 123 || c === 60) {
    // "[at]", "(dot)", "{ at }"
    const a = lower(text.charCodeAt(text.charCodeAt(i + 1) === 32 ? i + 2 : i + 1))
    if (a === 97 || a === 100) out.push(...emailAround(text, i))
    // "Maria Lopez (62 F)"
    else if (c === 40 && i > 4 && latinLetter[text.charCodeAt(i - 2)] === 1)
      add(out, nameBeforeParen(text, i))
  }
}

/** Every identifier span in the normalised text, in no particular order. */
export function findIdentifiers(text: string): Span[] {
  const out: Span[] = []
  add(out, headName(text))
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c < 0x250 ? latinLetter[c] === 1 : isLetter(c)) i = readWord(text, i, out)
    else if (isDigit(c)) i = readDigits(text, i, out)
    else {
      readMark(text, i, c, out)
      i++
    }
  }
  return out
}
