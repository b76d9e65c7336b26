/**
 * A category read the way a person reads it from scoped mentions (the task's `reading`): every
 * mention of the thing (a phrase such as "bone metastases", or a lesion word beside a site word
 * in its clause: "growing lytic lesion in L3"), not one beside a word of another site ("brain
 * metastases"); per clause, the change words near it give a value ("enlarging": progressive,
 * "unchanged": stable), a negation before it gives `negated`, a weak word ("no new") or nothing
 * gives `bare`. The report's value is the strongest reading over its clauses: explicit change words
 * (first value first), then a negation, then a bare mention, then a weak one ("no new lesion":
 * `negated`); a clause of a question section counts below every clause of the conclusion; no
 * mention gives `none`; a phrase that says the thing is absent ("skull intact") reads as a negation. Pure; the
 * text is the part of the report the task reads (`readableText`), offsets are the original's.
 */
import type { CategoryField, Task } from '../../schemas/task.ts'
import { foldedOf, type ReadText, sentenceEnds } from './mentions.ts'
import { phraseRegex, type ScannedText } from './scan.ts'
import { sectionAt, sections } from './sections.ts'

export type CategoryValue = string | number

export interface CategoryReading {
  value: CategoryValue
  /** 0 none, 0.5 weak mention, 1 bare mention, 2 negated mention, 3 or more change words (2.5 less in a question section). */
  strength: number
  /** The clause that decided it. */
  span?: { start: number; end: number }
}

interface Compiled {
  mention: RegExp
  absent?: RegExp
  lesion?: RegExp
  site?: RegExp
  elsewhere?: RegExp
  values: { value: CategoryValue; re: RegExp }[]
  weak?: RegExp
  negation?: RegExp
  hypothetical?: RegExp
  terminate?: RegExp
}

const cache = new WeakMap<CategoryField, Compiled>()

function compile(task: Task, f: CategoryField): Compiled | undefined {
  const r = f.reading
  if (!r) return undefined
  let c = cache.get(f)
  if (!c) {
    c = {
      mention: phraseRegex(r.mention) as RegExp,
      absent: phraseRegex(r.absent),
      lesion: phraseRegex(r.lesion),
      site: phraseRegex(r.site),
      elsewhere: phraseRegex(r.elsewhere),
      values: r.values.flatMap((v) => {
        const re = phraseRegex(v.words)
        return re ? [{ value: v.value, re }] : []
      }),
      weak: phraseRegex(r.weak),
      negation: phraseRegex(task.statusCues?.negative ?? []),
      hypothetical: phraseRegex(task.statusCues?.hypothetical ?? []),
      terminate: phraseRegex(task.statusCues?.terminate ?? []),
    }
    cache.set(f, c)
  }
  return c
}

type Hit = { start: number; end: number }
const hitsOf = (re: RegExp | undefined, s: string, from: number): Hit[] =>
  re
    ? [...s.matchAll(re)].map((m) => ({ start: from + m.index, end: from + m.index + m[0].length }))
    : []
const overlaps = (a: Hit, b: Hit) => a.start < b.end && a.end > b.start

/** Words a negation reaches forward. */
const negationReach = 6

type Clause = Hit & { sentence: number; follows?: boolean }
type Reading = NonNullable<CategoryField['reading']>

/** Readings of a scan, by field, read once: settling and grounding ask the same scan. */
const readingsOfScan = new WeakMap<ScannedText, Map<CategoryField, CategoryReading | undefined>>()

/** The rule reading of a category field, or undefined when the field has no `reading`. */
export function readCategory(
  task: Task,
  f: CategoryField,
  source: ReadText,
): CategoryReading | undefined {
  if (typeof source === 'string') return readText(task, f, source, foldedOf(source))
  let kept = readingsOfScan.get(source)
  if (!kept) {
    kept = new Map()
    readingsOfScan.set(source, kept)
  }
  if (!kept.has(f)) kept.set(f, readText(task, f, source.text, source.folded))
  return kept.get(f)
}

function readText(
  task: Task,
  f: CategoryField,
  text: string,
  folded: string,
): CategoryReading | undefined {
  const c = compile(task, f)
  const r = f.reading
  if (!c || !r) return undefined
  const clauses = clausesOf(c, folded, text)
  const secs = sections(text)
  let best: CategoryReading = { value: r.none, strength: 0 }
  for (const [ci, cl] of clauses.entries()) {
    const s = folded.slice(cl.start, cl.end)
    if (!s.trim()) continue
    const mentions = clauseMentions(c, s, cl)
    if (!mentions) continue
    const next = clauses[ci + 1]
    if (mentions.length && next && next.sentence === cl.sentence) next.follows = true
    const absent = mentions.length === 0 ? hitsOf(c.absent, s, cl.start) : []
    if (mentions.length === 0 && absent.length === 0) continue
    // "skull intact" says what a negated mention says
    const reading = absent.length
      ? { value: r.negated, strength: 2, span: { start: cl.start, end: cl.end } }
      : readClause(c, r, folded, s, cl, mentions)
    // what the question sections say (the indication's "known metastases") counts below any
    // reading of the conclusion
    if (sectionAt(secs, cl.start) === 'question')
      reading.strength = Math.max(0.1, reading.strength - 2.5)
    if (reading.strength > best.strength) best = reading
  }
  return best
}

/** Clauses: sentences cut again at terminating words ("stable, but a new lesion has appeared"). */
function clausesOf(c: Compiled, folded: string, text: string): Clause[] {
  const cuts = [-1, ...sentenceEnds(folded, text), folded.length]
  const clauses: Clause[] = []
  for (let k = 0; k + 1 < cuts.length; k++) {
    let start = (cuts[k] as number) + 1
    const end = cuts[k + 1] as number
    for (const t of hitsOf(c.terminate, folded.slice(start, end), start)) {
      clauses.push({ start, end: t.start, sentence: k })
      start = t.end
    }
    clauses.push({ start, end, sentence: k })
  }
  return clauses
}

/** The clause's mentions of the thing the field is about; undefined when the clause only asks. */
function clauseMentions(c: Compiled, s: string, cl: Clause): Hit[] | undefined {
  const elsewhere = hitsOf(c.elsewhere, s, cl.start)
  // a lesion word counts beside a site word, or after a clause of the same sentence that
  // named the thing ("the known metastases are stable, but a new lesion has appeared")
  const sited = hitsOf(c.site, s, cl.start).length > 0 || cl.follows === true
  const mentions = [
    ...hitsOf(c.mention, s, cl.start),
    ...(sited ? hitsOf(c.lesion, s, cl.start) : []),
  ].filter((m) => !elsewhere.some((e) => Math.abs(e.start - m.start) < 80))
  // a question states nothing ("exclude bone metastases", "evaluate for progression")
  const asked = hitsOf(c.hypothetical, s, cl.start)
  if (asked.length && mentions.every((m) => asked.some((q) => q.end <= m.start))) return undefined
  return mentions
}

/** What a clause that mentions the thing says of it: a value word, a negation, or the bare value. */
function readClause(
  c: Compiled,
  r: Reading,
  folded: string,
  s: string,
  cl: Clause,
  mentions: readonly Hit[],
): CategoryReading {
  const span = { start: cl.start, end: cl.end }
  const weak = hitsOf(c.weak, s, cl.start)
  const valueHits = c.values.map((v) => hitsOf(v.re, s, cl.start))
  const allValues = valueHits.flat()
  // a cue inside a longer phrase ("no" of "no evidence of progression", "increased" of
  // "increased sclerosis") is part of that phrase
  const inLonger = (n: Hit) => (h: Hit) => overlaps(n, h) && h.end - h.start > n.end - n.start
  const negations = hitsOf(c.negation, s, cl.start).filter(
    (n) => !weak.some(inLonger(n)) && !allValues.some(inLonger(n)),
  )
  const within = (cues: Hit[], h: Hit) =>
    cues.some((n) => n.end <= h.start && wordsBetween(folded, n.end, h.start) < negationReach)
  // a change word after a negation or a weak phrase ("no new or progressive lesion") says nothing
  // a weak phrase rules out every value but the bare one ("no new lesions ... flare": stable)
  const voided = (h: Hit, value: CategoryValue) =>
    within(negations, h) ||
    (value !== r.bare && (within(weak, h) || weak.some((w) => overlaps(h, w))))
  for (const [rank, v] of c.values.entries()) {
    const words = (valueHits[rank] ?? []).filter(
      (h) => !voided(h, v.value) && !allValues.some(inLonger(h)),
    )
    if (words.length) return { value: v.value, strength: 3 + (c.values.length - rank) / 10, span }
  }
  if (mentions.every((m) => within(negations, m))) return { value: r.negated, strength: 2, span }
  if (mentions.every((m) => within(weak, m) || weak.some((w) => overlaps(m, w))))
    return { value: r.negated, strength: 0.5, span }
  return { value: r.bare, strength: 1, span }
}

function wordsBetween(s: string, a: number, b: number): number {
  return (s.slice(a, b).match(/[\p{L}\p{N}]+/gu) ?? []).length
}

/** A reading explicit enough to decide (`decides: 'explicit'`): change words or a negation in the conclusion. */
const decisive = 2

/**
 * The values after the task's decisive readings: each category field whose `reading` decides and
 * reads the report explicitly takes the rules' value where the model said another; its
 * probability becomes the model's probability of that value (`choices`), 0 when unknown.
 * Returns the fields it changed.
 */
export function settleByReading(
  task: Task,
  text: ReadText,
  reading: {
    values: Record<string, unknown>
    probability: Record<string, number>
    choices?: Record<string, Record<string, number>>
  },
): string[] {
  const changed: string[] = []
  for (const f of task.fields) {
    if (f.kind !== 'category' || f.reading?.decides !== 'explicit') continue
    const r = readCategory(task, f, text)
    if (!r || r.strength < decisive || String(r.value) === String(reading.values[f.key])) continue
    reading.values[f.key] = r.value
    if (f.key in reading.probability)
      reading.probability[f.key] = reading.choices?.[f.key]?.[String(r.value)] ?? 0
    changed.push(f.key)
  }
  return changed
}
