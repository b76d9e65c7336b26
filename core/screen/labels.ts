/**
 * The label index: every label of the lexicon as a sticky pattern, found from the word it starts
 * with. The scan hashes each word of the text once; only where a word starts a label are the
 * label's literal text and then its pattern tried, so hundreds of labels in nine languages cost
 * one table lookup per word.
 */
import { type LabelRole, labels } from './lexicon.ts'
import { literalPrefixes, whole } from './prefix.ts'

// the longest label at a place is read first; among labels of one length, the first role here
// ("MR#" is a record number before "Mr" is a title, "Patient ID" before "Patient")
const roles: LabelRole[] = [
  'record_number',
  'national_id',
  'health_plan_id',
  'account_number',
  'license_number',
  'vehicle_id',
  'device_id',
  'birth',
  'event',
  'name',
  'phone',
  'email',
  'address',
  'postcode',
  'pobox',
  'url',
  'honorific',
  'patient',
  'weak_id',
  'age',
  'street',
  'street_prefix',
  'flat',
]

export interface LabelRule {
  role: LabelRole
  /** The label, sticky and case-insensitive. */
  re: RegExp
}

interface Entry {
  /** Lower-case text every match of the rule here starts with. */
  literal: string
  /** The literal is the whole label: a letter may not follow it. */
  complete: boolean
  rule: LabelRule
}

const letters = 'A-Za-z\\u00C0-\\u024F'

/** Lower case of a character code of the Latin scripts (others are their own). */
export const lowerTable = Uint16Array.from({ length: 0x250 }, (_, c) => {
  const l = String.fromCharCode(c).toLowerCase()
  return l.length === 1 ? l.charCodeAt(0) : c
})
export const lower = (c: number) => (c < 0x250 ? (lowerTable[c] ?? c) : c)

const otherLetters = new Map<number, boolean>()
/** A letter of any script (the Latin ones by range, others asked once). */
export const latinLetter = Uint8Array.from({ length: 0x250 }, (_, c) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7) ? 1 : 0,
)
export function isLetter(c: number): boolean {
  if (c < 0x250) return latinLetter[c] === 1
  if (Number.isNaN(c)) return false
  let l = otherLetters.get(c)
  if (l === undefined) {
    l = /\p{L}/u.test(String.fromCharCode(c))
    otherLetters.set(c, l)
  }
  return l
}

/** The key of a word: a hash of its first eight letters in lower case (labels are indexed by as
 * much of their first word as their literal text holds, at most eight letters). */
export const keyLength = 8
export const step = (h: number, c: number) => (Math.imul(h, 31) + lower(c)) | 0
function keyOf(word: string): number {
  let h = 0
  for (let i = 0; i < Math.min(word.length, keyLength); i++) h = step(h, word.charCodeAt(i))
  return h
}

interface Key {
  entries: Entry[]
  /** Some label here is the word itself (or its first eight letters). */
  word: boolean
  /** The characters that follow the word in the other labels ("." of "b.", "#" of "MR#"). */
  next: Set<number>
}
const index = new Map<number, Key>()
for (const role of roles)
  for (const src of labels[role]) {
    // a web address goes on after its scheme; every other label ends where a word ends
    const rule = {
      role,
      re: new RegExp(role === 'url' ? `(?:${src})` : `(?:${src})(?![${letters}])`, 'iy'),
    }
    for (const p of literalPrefixes(src)) {
      const literal = p.replace(whole, '')
      const word = /^[\p{L}]*/u.exec(literal)?.[0] ?? ''
      if (literal.length < 2 || word === '')
        throw new Error(`label without a literal start: ${src}`)
      const key = keyOf(word)
      const k = index.get(key) ?? { entries: [], word: false, next: new Set<number>() }
      k.entries.push({ literal, complete: p.endsWith(whole) && role !== 'url', rule })
      if (literal.length === word.length) k.word = true
      else k.next.add(literal.charCodeAt(word.length))
      index.set(key, k)
    }
  }

/** Whether the text at `at` reads `literal` (lower case), ignoring case. */
function startsWithLower(text: string, at: number, literal: string): boolean {
  if (at + literal.length > text.length) return false
  for (let k = 0; k < literal.length; k++)
    if (lower(text.charCodeAt(at + k)) !== literal.charCodeAt(k)) return false
  return true
}

// which keys exist, by their low 16 bits: most words of a report are no label's first word and
// leave after one array read, before the map is asked
export const present = new Uint8Array(1 << 16)
for (const key of index.keys()) present[key & 0xffff] = 1

const none: [LabelRule, string][] = []

/** The labels at `at`, where a word with key `key` starts and `next` follows it: each with the
 * text it matched, longest first. */
export function labelsAt(
  text: string,
  at: number,
  key: number,
  next: number,
): [LabelRule, string][] {
  if (present[key & 0xffff] === 0) return none
  const k = index.get(key)
  // most words that share a label's first word go on otherwise: "m2" is no "M.R.N."
  if (!k || !(k.word || k.next.has(lower(next)))) return none
  let out: [LabelRule, string][] | undefined
  let last: LabelRule | undefined
  for (const e of k.entries) {
    if (e.rule === last || !startsWithLower(text, at, e.literal)) continue
    if (e.complete && isLetter(text.charCodeAt(at + e.literal.length))) continue
    if (out?.some(([r]) => r === e.rule)) continue
    last = e.rule
    e.rule.re.lastIndex = at
    const m = e.rule.re.exec(text)
    if (!m) continue
    out ??= []
    out.push([e.rule, m[0]])
  }
  // stable: labels of one length keep the order of `roles`
  return out ? out.sort((a, b) => b[1].length - a[1].length) : none
}
