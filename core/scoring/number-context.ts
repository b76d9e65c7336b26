/**
 * What the words around each number of a report say it is: the vocabulary terms near it (weighted
 * by distance, and by the numbers in between) and the section-wide ones in force (chamber, phase,
 * or its table column's header); and how well that names a given field.
 */
import type { NumberField, Task } from '../../schemas/task.ts'
import type { LabelKind } from '../layout/read.ts'
import {
  lineEndAt,
  lineStartAt,
  lowerBound,
  type NumberMention,
  type ScannedText,
  type TermMention,
} from '../text/scan.ts'

/** Label score given to a number no vocabulary word explains. */
export const labelFloor = 0.25
/** Words either side of a number in which a field's words count, and their decay per word. */
const wordsBefore = 12
const wordsAfter = 8
const decayPerWord = 0.9
const afterPenalty = 0.7
const perInterveningNumber = 0.3
/** Quantity factor when no quantity word is near the number. */
const missingQuantity = 0.5

interface LocalTerm {
  set: Record<string, string>
  weight: number
}

export interface NumberContext {
  n: NumberMention
  local: LocalTerm[]
  section: Map<string, string>
  /** The local words are the number's own labels (a key, a row, a column), not prose near it. */
  labelled?: boolean
}

/** Text between a number and a word that labels it from behind: "146 mL at end systole". */
const postLabel = /^\s*(?:at|in|during|on)\s+$/i

/** Two numbers joined only by a unit and "and", "," or "&": "118 ml and 45 ml". */
function joined(text: string, a: NumberMention, b: NumberMention): boolean {
  return (
    a.pairIndex === undefined &&
    !b.bracketAfterPrevious &&
    /^\s*(?:,|&|and|,\s*and)\s*$/i.test(text.slice(a.spanEnd, b.start))
  )
}

/**
 * Lists: "end diastolic and end systolic volumes measure 118 ml and 45 ml (respectively)": the
 * k-th number of a run takes the k-th quantity word of the sentence before the run.
 */
function lists(
  task: Task,
  scan: ScannedText,
  termStarts: readonly number[],
): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>()
  const { numbers, text } = scan
  for (let i = 0; i < numbers.length; ) {
    let j = i
    while (
      j + 1 < numbers.length &&
      joined(text, numbers[j] as NumberMention, numbers[j + 1] as NumberMention)
    )
      j++
    const first = numbers[i] as NumberMention
    if (j > i) {
      const sentenceStart =
        scan.sentenceStarts[lowerBound(scan.sentenceStarts, first.start + 1) - 1] ?? 0
      const from = Math.max(sentenceStart, i > 0 ? (numbers[i - 1] as NumberMention).spanEnd : 0)
      // the terms between `from` and the run (terms are in text order: no scan of all of them)
      const names: TermMention[] = []
      for (let ti = lowerBound(termStarts, from); ti < scan.terms.length; ti++) {
        const t = scan.terms[ti] as TermMention
        if (t.start >= first.start) break
        if (t.end <= first.start && t.set.quantity !== undefined) names.push(t)
      }
      // map only when each number's unit fits a field of its word ("diameters are 6.4 cm and 5.5 cm"
      // after "end-diastolic and end-systolic" must not read as volumes)
      const fits = (set: Record<string, string>, n: NumberMention) =>
        task.fields.some(
          (f) =>
            f.kind === 'number' &&
            f.concepts.quantity === set.quantity &&
            (n.unit === undefined ||
              n.unit === f.unit ||
              f.conversions.some((c) => c.unit === n.unit)),
        )
      if (
        names.length === j - i + 1 &&
        names.every((t, k) => fits(t.set, numbers[i + k] as NumberMention))
      ) {
        for (const [k, t] of names.entries()) out.set(i + k, t.set)
      }
    }
    i = j + 1
  }
  return out
}

/** How surely each kind of layout label names a number: its own key or row label, its column's
 * header nearly as surely, the headings above it for what neither says. */
const layoutWeight: Record<LabelKind, number> = { key: 1, row: 1, column: 0.95, heading: 0.85 }

/**
 * The context of a number the layout placed: the words of its labels, nearest first (a nearer
 * label's section word wins over a heading's). Undefined when no label of its own says what
 * quantity it is: then its words are read as prose.
 */
function placedContext(
  task: Task,
  scan: ScannedText,
  n: NumberMention,
  termStarts: readonly number[],
  sectionBefore: () => Map<string, string>,
): NumberContext | undefined {
  const place = n.place
  if (!place) return undefined
  const dims = task.vocabulary?.dimensions ?? {}
  const local: LocalTerm[] = []
  const section = new Map<string, string>()
  let named = false
  let ownWords = false
  for (const label of place.labels) {
    if (label.kind === 'key' || label.kind === 'row')
      ownWords ||= /\p{L}{2}/u.test(scan.text.slice(label.start, label.end))
    // the terms that overlap the label: a phrase may run from a heading into the line below it
    // ("Native T1" / "Myocardium: 1010 ms" reads as one term)
    for (
      let ti = Math.max(0, lowerBound(termStarts, label.start) - 1);
      ti < scan.terms.length;
      ti++
    ) {
      const t = scan.terms[ti] as TermMention
      if (t.start >= label.end) break
      if (t.end <= label.start) continue
      const own: Record<string, string> = {}
      for (const [d, v] of Object.entries(t.set)) {
        if (dims[d]?.scope === 'section') {
          if (!section.has(d)) section.set(d, v)
        } else own[d] = v
      }
      if (Object.keys(own).length === 0) continue
      if (label.kind !== 'heading') named = true
      local.push({ set: own, weight: layoutWeight[label.kind] })
    }
  }
  // a key of its own that names nothing of the task ("Age: 58") says what the number is not
  if (
    !named &&
    ownWords &&
    local.length === 0 &&
    place.labels[0]?.kind !== 'heading' &&
    !headsList(scan, n)
  )
    return { n, local: [{ set: { quantity: 'other' }, weight: 1 }], section, labelled: true }
  if (!named) return undefined
  // no heading or label says the chamber: the section words before it, as for prose
  if (section.size === 0) for (const [d, v] of sectionBefore()) section.set(d, v)
  for (const [d, v] of Object.entries(n.columnSet ?? {})) section.set(d, v)
  for (const set of n.unitTerms) local.push({ set, weight: 1 })
  return { n, local, section, labelled: true }
}

/** The number opens a list its key heads ("Biometrics: 179 cm, 88 kg, BSA 1.9 m2"): more
 * values follow on its line after a comma or semicolon, so the key names the group, not it. */
function headsList(scan: ScannedText, n: NumberMention): boolean {
  const eol = lineEndAt(scan.lineStarts, n.spanEnd)
  const rest = scan.text.slice(n.spanEnd, eol < 0 ? scan.text.length : eol)
  return /^\s*[,;/|]\s*[^,;/|]{0,30}?\d/.test(rest)
}

export function buildContexts(task: Task, scan: ScannedText): NumberContext[] {
  const dims = task.vocabulary?.dimensions ?? {}
  const starts = scan.numbers.map((n) => n.start)
  const termStarts = scan.terms.map((t) => t.start)
  const listed = lists(task, scan, termStarts)
  const sectionOf = (n: NumberMention) => sectionWordsBefore(scan, termStarts, dims, n.start)
  return scan.numbers.map((n, i) => {
    const placed = placedContext(task, scan, n, termStarts, () => sectionOf(n))
    if (placed) return placed
    const section = sectionOf(n)
    for (const [d, v] of Object.entries(n.columnSet ?? {})) section.set(d, v)
    return { n, local: proseWords(scan, i, starts, termStarts, listed.get(i)), section }
  })
}

/** The section words within 2000 characters before a position: only the terms that can reach
 * it (a term ends within its own length of its start), so the cost grows with the text, not its
 * square. */
function sectionWordsBefore(
  scan: ScannedText,
  termStarts: readonly number[],
  dims: NonNullable<Task['vocabulary']>['dimensions'],
  at: number,
): Map<string, string> {
  const section = new Map<string, string>()
  for (let ti = lowerBound(termStarts, at - 2100); ti < scan.terms.length; ti++) {
    const t = scan.terms[ti] as TermMention
    if (t.start >= at) break
    if (t.end > at || at - t.end >= 2000) continue
    for (const [d, v] of Object.entries(t.set))
      if (dims?.[d]?.scope === 'section') section.set(d, v)
  }
  return section
}

/** The words of a number in prose: those of its sentence near it, weighed by distance and the
 * numbers in between; a list's name for it replaces the quantity words. */
function proseWords(
  scan: ScannedText,
  i: number,
  starts: readonly number[],
  termStarts: readonly number[],
  named: Record<string, string> | undefined,
): LocalTerm[] {
  const n = scan.numbers[i] as NumberMention
  const sIdx = lowerBound(scan.sentenceStarts, n.start + 1) - 1
  const sentence = {
    start: scan.sentenceStarts[sIdx] ?? 0,
    end: scan.sentenceStarts[sIdx + 1] ?? scan.text.length,
  }
  // a table cell ends its line: the next row's words are not this number's
  const eol = lineEndAt(scan.lineStarts, n.spanEnd)
  if (
    eol >= 0 &&
    eol < sentence.end &&
    /^[^A-Za-z]*(?:\([^)]*\))?[^A-Za-z]*$/.test(scan.text.slice(n.spanEnd, eol))
  )
    sentence.end = eol
  const lineStart = lineStartAt(scan.lineStarts, n.start)
  const local: LocalTerm[] = []
  for (let ti = lowerBound(termStarts, n.start - 2100); ti < scan.terms.length; ti++) {
    const t = scan.terms[ti] as TermMention
    if (t.end <= n.start) {
      const weight = weightBefore(scan, i, t, starts, sentence.start, lineStart)
      if (weight !== undefined) local.push({ set: t.set, weight })
    } else if (t.start >= n.end) {
      const weight = weightAfter(scan, i, t, starts, sentence.end)
      if (weight === 'stop') break
      if (weight !== undefined) local.push({ set: t.set, weight })
    }
  }
  if (named) {
    // a list names each number once: the other quantity words are its neighbours'
    for (let k = local.length - 1; k >= 0; k--)
      if ((local[k] as LocalTerm).set.quantity) local.splice(k, 1)
    local.push({ set: named, weight: 1 })
  }
  for (const set of n.unitTerms) local.push({ set, weight: 1 })
  return local
}

/** The weight of a word before number i, or undefined when it is not the number's. */
function weightBefore(
  scan: ScannedText,
  i: number,
  t: TermMention,
  starts: readonly number[],
  sentenceStart: number,
  lineStart: number,
): number | undefined {
  const n = scan.numbers[i] as NumberMention
  // "168 g (95 g/m2)": the bracketed number is as near its words as the one it restates
  const from = n.bracketAfterPrevious ? (scan.numbers[i - 1] as NumberMention) : n
  let words = from.wordIndex - t.wordEnd
  let between =
    i - lowerBound(starts, t.end) - (n.pairIndex === 1 || n.bracketAfterPrevious ? 1 : 0)
  if (n.columnSet) {
    // in a table with column headers, the row's other columns are not labels in between
    const sameRow = i - lowerBound(starts, Math.max(t.end, lineStart))
    words -= sameRow
    between -= sameRow
  }
  if (t.start < sentenceStart || words > wordsBefore) return undefined
  // "264 mL at end diastole and 146 mL": a word tied to the number before it is that number's
  const prev = scan.numbers[lowerBound(starts, t.start) - 1]
  if (prev && prev !== n && postLabel.test(scan.text.slice(prev.spanEnd, t.start))) return undefined
  return decayPerWord ** words * perInterveningNumber ** Math.max(0, between)
}

/** The weight of a word after number i; undefined when it is another number's, 'stop' past the
 * reach (the words after are further still). */
function weightAfter(
  scan: ScannedText,
  i: number,
  t: TermMention,
  starts: readonly number[],
  sentenceEnd: number,
): number | undefined | 'stop' {
  const n = scan.numbers[i] as NumberMention
  const words = t.wordIndex - n.wordIndex - 1
  if (t.start >= sentenceEnd || words > wordsAfter) return 'stop'
  // a word right before the next number is that number's label ("CO 7.4 l/min (CI 3.5)")
  const tied = postLabel.test(scan.text.slice(n.spanEnd, t.start))
  const next = scan.numbers[lowerBound(starts, t.end)]
  if (!tied && next && next.start < sentenceEnd && next.wordIndex - t.wordEnd <= words)
    return undefined
  const between = lowerBound(starts, t.start) - i - 1
  return afterPenalty * decayPerWord ** words * perInterveningNumber ** Math.max(0, between)
}

const conceptsOf = new WeakMap<NumberField, [string, string][]>()
/** Field -> its score for a number with no words around it, by the number's pair position. */
const bareScores = new WeakMap<NumberField, Map<number | undefined, number>>()

/** How well the words around a number name this field, in [0, 1]. */
export function labelScore(task: Task, f: NumberField, c: NumberContext): number {
  // a number with no words near it (a long run of bare numbers) scores the same for a field
  // whatever its value: computed once per field and pair position, so such text costs little
  if (c.local.length === 0 && c.section.size === 0) {
    let byPair = bareScores.get(f)
    if (!byPair) {
      byPair = new Map()
      bareScores.set(f, byPair)
    }
    const hit = byPair.get(c.n.pairIndex)
    if (hit !== undefined) return hit
    const score = scoreLabel(task, f, c)
    byPair.set(c.n.pairIndex, score)
    return score
  }
  return scoreLabel(task, f, c)
}

function scoreLabel(task: Task, f: NumberField, c: NumberContext): number {
  const dims = task.vocabulary?.dimensions ?? {}
  let concepts = conceptsOf.get(f)
  if (!concepts) {
    concepts = Object.entries(f.concepts)
    conceptsOf.set(f, concepts)
  }
  if (concepts.length === 0) return labelFloor
  let score = 1
  let anchored = false
  for (const [d, want] of concepts) {
    const scope = dims[d]?.scope
    if (scope === 'section') {
      const got = c.section.get(d)
      score *= got === undefined ? 0.6 : got === want ? 1 : 0.1
      continue
    }
    let match = 0
    let other = 0
    for (const t of c.local) {
      const v = t.set[d]
      if (v === undefined) continue
      if (v === want) match = Math.max(match, t.weight)
      else other = Math.max(other, t.weight)
    }
    if (d === 'quantity') {
      anchored = true
      // a word of what the task does not read in the number's own label ("LGE mass", "T2
      // myocardium"): the label names that, not the field (in prose, distance decides)
      let notRead = 0
      if (c.labelled)
        for (const t of c.local)
          if (t.set.quantity === 'other') notRead = Math.max(notRead, t.weight)
      if (match > 0 && notRead >= match) score *= 0.3
      // no quantity word at all ("the left atrium is dilated at 88 mL"): the unit may say it
      score *= match === 0 && other < 0.2 ? missingQuantity : other > match ? match * 0.5 : match
    }
    // a word of its own label that says otherwise ("Area 4ch" for a 2-chamber field) nearly rules it out
    else
      score *=
        match > 0.2 ? (other > match ? 0.5 : 1) : other >= 0.95 ? 0.1 : other > 0.2 ? 0.3 : 0.6
  }
  if (!anchored) score *= 0.6
  // A nearby word of a dimension this field lacks ("index" beside an absolute volume) counts against it.
  for (const t of c.local) {
    if (t.weight < 0.5) continue
    for (const d of Object.keys(t.set)) {
      if (d !== 'pair' && dims[d]?.scope === 'local' && !(d in f.concepts)) {
        score *= 0.5
        break
      }
    }
  }
  // a pair's position: from "120/80", or for a lone number from its word ("diastolic: 78")
  const pair = c.n.pairIndex ?? pairWord(c)
  if (f.pairIndex !== undefined) score *= pair === f.pairIndex ? 1 : pair === undefined ? 0.5 : 0.05
  else if (c.n.pairIndex !== undefined) score *= 0.5
  return score
}

/** The position a lone number's own word gives it in a pair (the `pair` dimension: "0" for
 * systolic, "1" for diastolic), from the nearest such word. */
function pairWord(c: NumberContext): 0 | 1 | undefined {
  let best: LocalTerm | undefined
  for (const t of c.local)
    if (t.set.pair !== undefined && t.weight >= 0.5 && (!best || t.weight > best.weight)) best = t
  return best?.set.pair === '0' ? 0 : best?.set.pair === '1' ? 1 : undefined
}
