/**
 * Label mentions with their scope, ConText style: every mention of a label (its aliases, or an
 * organ word with a state word near it: "heart size is mildly enlarged") and the status the
 * sentence gives it. A cue governs the words after it (negation "no", hedge "may represent",
 * hypothesis "to exclude") or before it ("is not seen", "cannot be excluded") inside its sentence,
 * until a terminating word ("but", "which") or a sentence end; pseudo-cues ("no change in") govern
 * nothing; the nearest governing cue wins. Mentions in question sections (indication, comparison)
 * and hypothetical ones state nothing. A long word the task does not know, one edit from one
 * label's alias, is that alias ("pneumothroax"). Findings outside the labels that a derived label
 * names ("scoliosis" for No Finding) are read with their scope too. One reading serves the rule
 * baseline, the encoder's features and the grounding of a label, so they cannot disagree on what
 * the text says.
 * Pure; offsets are UTF-16 code units of the original text (folding keeps lengths).
 */
import type { LabelField, LabelStatus, Task } from '../../schemas/task.ts'
import { foldText, lowerBound, phraseRegex, type ScannedText } from './scan.ts'
import { sectionAt, sections } from './sections.ts'

export interface LabelMention {
  /** Index into the task's label fields (`labelFieldsOf`). */
  label: number
  status: LabelStatus
  start: number
  end: number
}

export type CueKind = 'negative' | 'uncertain' | 'hypothetical'

/** A cue and the stretch of text it governs. */
export interface CueScope {
  kind: CueKind
  /** 'before': the cue precedes what it governs; 'after': it follows it. */
  direction: 'before' | 'after'
  cueStart: number
  cueEnd: number
  /** The governed stretch, end exclusive. */
  start: number
  end: number
}

export interface ScopedText {
  mentions: LabelMention[]
  /** Mentions that are only asked about or supposed ("exclude pneumothorax", "Fracture?", the
   * indication's words): they state nothing, but say the report considered the label. */
  asked: { label: number; start: number; end: number }[]
  /** Findings outside the labels that a derived label names (`positiveWhenNone.unlessMentioned`,
   * CheXpert's no-finding phrases: "scoliosis", "granuloma"), with their status. */
  otherFindings: { status: LabelStatus; start: number; end: number }[]
  scopes: CueScope[]
}

/** Letters a word needs before a typo in it is read as its alias ("pneumothroax"): shorter words
 * lie one edit from other words too often ("masses", "passes"). */
const typoMinLength = 7

/** Words a cue reaches forward, and back. */
const reachAfterCue = 12
const reachBeforeCue = 8
/** Words after (and before) an organ word in which its state word may stand. */
const stateReach = 7
const stateReachBefore = 4

interface Compiled {
  labels: LabelField[]
  aliases: (RegExp | undefined)[]
  otherSenses: (RegExp | undefined)[]
  otherFindings: RegExp | undefined
  /** Single words of aliases long enough to be read through one typo, by label. */
  typoAliases: { label: number; word: string }[]
  /** The same for the findings outside the labels ("calcifeid"). */
  typoOthers: string[]
  /** Every word of the task's phrases: a word the task knows is never a typo of another. */
  knownWords: Set<string>
  states: { label: number; terms: RegExp; state: RegExp; kinds: Map<string, LabelStatus> }[]
  before: { kind: CueKind; re: RegExp }[]
  after: { kind: CueKind; re: RegExp }[]
  pseudo: RegExp | undefined
  terminate: RegExp | undefined
}

const compiledCache = new WeakMap<Task, Compiled>()

const fold = (s: string) => foldText(s).trim().replace(/\s+/g, ' ')

/** The one-word phrases long enough to be read through a typo. */
const longWordRe = new RegExp(`^\\p{L}{${typoMinLength},}$`, 'u')
const typoWords = (phrases: readonly string[]) =>
  phrases.map(fold).filter((w) => longWordRe.test(w))

function compile(task: Task): Compiled {
  const cached = compiledCache.get(task)
  if (cached) return cached
  const labels = task.fields.filter((f): f is LabelField => f.kind === 'label')
  const c = task.statusCues
  const re = (xs: string[] | undefined) => phraseRegex(xs ?? [])
  const cue = (kind: CueKind, xs: string[] | undefined) => {
    const r = re(xs)
    return r ? [{ kind, re: r }] : []
  }
  const states: Compiled['states'] = []
  for (const [li, f] of labels.entries())
    for (const s of f.states) {
      const kinds = new Map<string, LabelStatus>()
      // longest first inside phraseRegex; a word in two lists keeps the more cautious reading
      for (const w of s.present) kinds.set(fold(w), 'positive')
      for (const w of s.unsure) kinds.set(fold(w), 'uncertain')
      for (const w of s.absent) kinds.set(fold(w), 'negative')
      const state = re([...kinds.keys()])
      const terms = re(s.terms)
      if (state && terms) states.push({ label: li, terms, state, kinds })
    }
  const m: Compiled = {
    labels,
    aliases: labels.map((f) => (f.positiveWhenNone ? undefined : re([f.label, ...f.aliases]))),
    otherSenses: labels.map((f) => re(f.otherSenses)),
    otherFindings: re(labels.flatMap((f) => f.positiveWhenNone?.unlessMentioned ?? [])),
    typoAliases: labels.flatMap((f, label) =>
      f.positiveWhenNone ? [] : typoWords([f.label, ...f.aliases]).map((word) => ({ label, word })),
    ),
    typoOthers: typoWords(labels.flatMap((f) => f.positiveWhenNone?.unlessMentioned ?? [])),
    knownWords: new Set(
      [
        ...labels.flatMap((f) => [
          f.label,
          ...f.aliases,
          ...f.otherSenses,
          ...(f.positiveWhenNone?.unlessMentioned ?? []),
          ...f.states.flatMap((s) => [...s.terms, ...s.present, ...s.absent, ...s.unsure]),
        ]),
        ...Object.values(c ?? {}).flat(),
      ].flatMap((p) => fold(p).split(/[^\p{L}]+/u)),
    ),
    states,
    before: [
      ...cue('negative', c?.negative),
      ...cue('uncertain', c?.uncertain),
      ...cue('hypothetical', c?.hypothetical),
    ],
    after: [
      ...cue('negative', c?.negativeAfter),
      ...cue('uncertain', c?.uncertainAfter),
      ...cue('hypothetical', c?.hypotheticalAfter),
    ],
    pseudo: re(c?.pseudo),
    terminate: re(c?.terminate),
  }
  compiledCache.set(task, m)
  return m
}

/**
 * Sentence ends: ". " (not a decimal point), "!", ";", "? " before a capital, a blank line, and a line break before a
 * line that does not go on in lower case (a list item, a heading, a new line of a table) unless
 * the line before ends in a comma or a function word (it was wrapped).
 */
export function sentenceEnds(folded: string, text: string): number[] {
  const out: number[] = []
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i]
    if (ch === '.' || ch === '!' || ch === ';') {
      const next = folded[i + 1]
      if (next === undefined || /\s/.test(next)) out.push(i)
    } else if (ch === '?' && /^\s+\p{Lu}/u.test(text.slice(i + 1, i + 4))) {
      // "Botmetastasen? Geen aanwijzingen ...": a question mark before a new sentence ends it
      out.push(i)
    } else if (ch === '\n') {
      let j = i + 1
      while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++
      const next = text[j] ?? ''
      const prev = folded.slice(Math.max(0, i - 1), i)
      // a list that wraps after its comma goes on ("Kein Nachweis von Herzvergrößerung,\n
      // Konsolidation": German nouns start in capitals)
      if ((prev === ',' || endsInFunctionWord(folded, i)) && next !== '\n') continue
      if (next === '\n' || !/\p{Ll}/u.test(next) || prev === ':') out.push(i)
    }
  }
  return out
}

/** Words that end no sentence: a line that stops on one was wrapped ("Kein Nachweis von\n
 * Pneumothorax"), in the languages the corpora write. */
const functionWords = new Set(
  (
    'of the a an and or nor with without for to in on at no ' +
    'von der die das des und oder mit ohne für auf kein keine keinen im am zum zur ' +
    'de du la le les et ou sans avec pour au aux ' +
    'del el los las y o sin con para en ' +
    'di il lo gli e senza con per nel nella ' +
    'van het een en of zonder met voor op geen ' +
    'do da dos das sem com para em no na'
  ).split(' '),
)

function endsInFunctionWord(folded: string, at: number): boolean {
  const m = /([\p{L}]+)[ \t]*$/u.exec(folded.slice(Math.max(0, at - 24), at))
  return m !== null && functionWords.has(m[1] as string)
}

/** Word starts of a folded text, for reach limits counted in words. */
function wordStarts(folded: string): number[] {
  const out: number[] = []
  for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) out.push(m.index)
  return out
}

/** A report as a reader takes it: its scan (the one reading of an extraction, whose derived
 * readings are kept with it) or, outside an extraction, its text. */
export type ReadText = string | ScannedText

export const textOf = (source: ReadText): string =>
  typeof source === 'string' ? source : source.text

/** The folded text: the scan's own, folded once, or the text folded now. */
export const foldedOf = (source: ReadText): string =>
  typeof source === 'string' ? foldText(source) : source.folded

/** The mentions of a scan, read once: every reader of an extraction asks the same scan. */
const mentionsOfScan = new WeakMap<ScannedText, { task: Task; value: ScopedText }>()

/** The mentions of every label of the task in a report, and the cue scopes that gave their status. */
export function scopeMentions(task: Task, source: ReadText): ScopedText {
  if (typeof source === 'string') return read(task, source, foldedOf(source))
  const kept = mentionsOfScan.get(source)
  if (kept?.task === task) return kept.value
  const value = read(task, source.text, source.folded)
  mentionsOfScan.set(source, { task, value })
  return value
}

function read(task: Task, text: string, folded: string): ScopedText {
  const m = compile(task)
  const reach = new Reach(folded, text)
  const scopes = cueScopes(m, folded, reach)
  const secs = sections(text)
  const asked = (at: number) => sectionAt(secs, at) === 'question'
  const mentions: LabelMention[] = []
  const considered: ScopedText['asked'] = []
  const senses = m.otherSenses.map((other) =>
    other ? [...folded.matchAll(other)].map((o) => [o.index, o.index + o[0].length]) : [],
  )
  const elsewhere = (li: number, a: number, b: number) =>
    (senses[li] ?? []).some(([x, y]) => a < (y as number) && b > (x as number))
  const add = (li: number, start: number, end: number) => {
    const status = asked(start) ? 'hypothetical' : statusIn(scopes, start, end)
    if (status !== 'hypothetical') mentions.push({ label: li, status, start, end })
    else considered.push({ label: li, start, end })
  }
  const named: [number, number][] = []
  for (const [li, re] of m.aliases.entries()) {
    if (!re) continue
    for (const h of folded.matchAll(re)) {
      const end = h.index + h[0].length
      named.push([h.index, end])
      if (!elsewhere(li, h.index, end)) add(li, h.index, end)
    }
  }
  // "pneumothroax", "atelectasys": a long word the task does not know, one edit from the alias
  // of one label only
  const typos = unknownWords(m, folded, named)
  for (const w of typos) {
    const hits = new Set(
      m.typoAliases.filter((t) => oneEditApart(w.word, t.word)).map((t) => t.label),
    )
    const li = hits.size === 1 ? [...hits][0] : undefined
    if (li !== undefined && !elsewhere(li, w.start, w.end)) add(li, w.start, w.end)
  }
  const otherFindings: ScopedText['otherFindings'] = []
  const addOther = (start: number, end: number) => {
    const status = asked(start) ? 'hypothetical' : statusIn(scopes, start, end)
    if (status !== 'hypothetical') otherFindings.push({ status, start, end })
  }
  if (m.otherFindings)
    for (const h of folded.matchAll(m.otherFindings)) addOther(h.index, h.index + h[0].length)
  for (const w of typos)
    if (m.typoOthers.some((o) => oneEditApart(w.word, o))) addOther(w.start, w.end)
  for (const s of m.states)
    for (const h of folded.matchAll(s.terms)) {
      const end = h.index + h[0].length
      if (asked(h.index)) continue
      if (mentions.some((x) => x.label === s.label && x.start < end && x.end > h.index)) continue
      const state = stateNear(folded, s.state, h.index, end, {
        from: Math.max(reach.sentenceStart(h.index), reach.wordsBefore(h.index, stateReachBefore)),
        to: Math.min(reach.sentenceEnd(end), reach.wordsAfter(end, stateReach)),
      })
      if (!state) continue
      const kind = s.kinds.get(fold(state.word)) ?? 'positive'
      const a = Math.min(h.index, state.start)
      const b = Math.max(end, state.end)
      // "the heart is possibly enlarged": a hedge or negation before the state word still counts;
      // one after it belongs to the next clause ("heart size is enlarged, vascularity within
      // normal limits")
      const before = scopes.filter((x) => x.direction === 'before')
      const cue = kind === 'positive' ? statusIn(before, state.start, state.end) : kind
      if (cue !== 'hypothetical') mentions.push({ label: s.label, status: cue, start: a, end: b })
    }
  mentions.sort((x, y) => x.start - y.start || x.label - y.label)
  return { mentions, asked: considered, otherFindings, scopes }
}

/** Words long enough to hold a typo, that the task does not know and no alias names. */
function unknownWords(
  m: Compiled,
  folded: string,
  named: readonly [number, number][],
): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = []
  for (const w of folded.matchAll(/\p{L}+/gu)) {
    const end = w.index + w[0].length
    if (w[0].length < typoMinLength || m.knownWords.has(w[0])) continue
    if (!named.some(([a, b]) => w.index < b && end > a))
      out.push({ word: w[0], start: w.index, end })
  }
  return out
}

/** How far a cue reaches in a folded text: to its sentence's ends, or a number of words. */
class Reach {
  private readonly ends: number[]
  private readonly words: number[]
  private readonly length: number

  constructor(folded: string, text: string) {
    this.ends = sentenceEnds(folded, text)
    this.words = wordStarts(folded)
    this.length = folded.length
  }

  sentenceStart(at: number): number {
    const k = lowerBound(this.ends, at) - 1
    return k >= 0 ? (this.ends[k] as number) + 1 : 0
  }

  sentenceEnd(at: number): number {
    const k = lowerBound(this.ends, at)
    return k < this.ends.length ? (this.ends[k] as number) : this.length
  }

  wordsAfter(at: number, n: number): number {
    const k = lowerBound(this.words, at) + n
    return k < this.words.length ? (this.words[k] as number) : this.length
  }

  wordsBefore(at: number, n: number): number {
    const k = lowerBound(this.words, at) - n
    return k > 0 ? (this.words[k] as number) : 0
  }
}

/** Every cue's scope: a cue before its words reaches forward to the sentence's end, a
 * terminator or `reachAfterCue` words; a cue after them reaches back the same way. */
function cueScopes(m: Compiled, folded: string, reach: Reach): CueScope[] {
  const terminators: number[] = []
  const terminatorEnds: number[] = []
  if (m.terminate)
    for (const t of folded.matchAll(m.terminate)) {
      terminators.push(t.index)
      terminatorEnds.push(t.index + t[0].length)
    }
  const pseudo: [number, number][] = []
  if (m.pseudo)
    for (const p of folded.matchAll(m.pseudo)) pseudo.push([p.index, p.index + p[0].length])
  const inPseudo = (a: number, b: number) => pseudo.some(([s, e]) => a < e && b > s)
  // every cue hit of every kind; one that overlaps a longer hit ("not" in "not excluded", "is
  // not" in "is not entirely excluded") is part of that cue, not a cue of its own
  const hits: { kind: CueKind; direction: 'before' | 'after'; start: number; end: number }[] = []
  for (const [direction, list] of [
    ['before', m.before],
    ['after', m.after],
  ] as const)
    for (const { kind, re } of list)
      for (const h of folded.matchAll(re))
        if (!inPseudo(h.index, h.index + h[0].length))
          hits.push({ kind, direction, start: h.index, end: h.index + h[0].length })
  const inside = (x: (typeof hits)[number]) =>
    hits.some(
      (y) => y !== x && y.start < x.end && y.end > x.start && y.end - y.start > x.end - x.start,
    )
  const scopes: CueScope[] = []
  for (const h of hits) {
    if (inside(h)) continue
    const cue = { kind: h.kind, direction: h.direction, cueStart: h.start, cueEnd: h.end }
    if (h.direction === 'before') {
      const t = terminators[lowerBound(terminators, h.end)] ?? folded.length
      const end = Math.min(reach.sentenceEnd(h.end), t, reach.wordsAfter(h.end, reachAfterCue))
      scopes.push({ ...cue, start: h.end, end })
    } else {
      const k = lowerBound(terminatorEnds, h.start + 1) - 1
      const t = k >= 0 ? (terminatorEnds[k] as number) : 0
      const start = Math.max(
        reach.sentenceStart(h.start),
        t,
        reach.wordsBefore(h.start, reachBeforeCue),
      )
      scopes.push({ ...cue, start, end: h.start })
    }
  }
  return scopes
}

/** The status the nearest cue governing [a, b) gives, or positive. */
function statusIn(scopes: readonly CueScope[], a: number, b: number): LabelStatus | 'hypothetical' {
  let best: CueScope | undefined
  let bestDistance = Infinity
  for (const s of scopes) {
    if (!(a < s.end && b > s.start) || (a < s.cueEnd && b > s.cueStart)) continue
    const d = s.direction === 'before' ? a - s.cueEnd : s.cueStart - b
    if (d < bestDistance) {
      bestDistance = d
      best = s
    }
  }
  return best?.kind ?? 'positive'
}

/** The first state word after the organ word (else the nearest before it) inside the bounds. */
function stateNear(
  folded: string,
  re: RegExp,
  start: number,
  end: number,
  bounds: { from: number; to: number },
): { word: string; start: number; end: number } | undefined {
  re.lastIndex = end
  const after = re.exec(folded)
  if (after && after.index < bounds.to)
    return { word: after[0], start: after.index, end: after.index + after[0].length }
  let found: { word: string; start: number; end: number } | undefined
  re.lastIndex = bounds.from
  for (let h = re.exec(folded); h && h.index + h[0].length <= start; h = re.exec(folded))
    found = { word: h[0], start: h.index, end: h.index + h[0].length }
  return found
}

const statusRank: Record<LabelStatus, number> = { positive: 3, uncertain: 2, negative: 1 }

/** Each label's strongest mention (positive over uncertain over negative), by label index. */
export function strongestMentions(
  scoped: ScopedText,
  labels: number,
): (LabelMention | undefined)[] {
  const out = new Array<LabelMention | undefined>(labels).fill(undefined)
  for (const x of scoped.mentions) {
    const cur = out[x.label]
    if (!cur || statusRank[x.status] > statusRank[cur.status]) out[x.label] = x
  }
  return out
}

/** Each label's one status where all its mentions agree (undefined: none, or they disagree). */
export function agreedStatuses(scoped: ScopedText, labels: number): (LabelStatus | undefined)[] {
  const out = new Array<LabelStatus | undefined | null>(labels).fill(undefined)
  for (const x of scoped.mentions) {
    const cur = out[x.label]
    out[x.label] = cur === undefined ? x.status : cur === x.status ? cur : null
  }
  return out.map((s) => s ?? undefined)
}

/** One substitution, insertion, deletion or swap of neighbours apart (Damerau), and not equal;
 * a trailing "s" alone is a plural, which the alias match already reads. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false
  if (a === `${b}s` || b === `${a}s`) return false
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a]
  return long.slice(i + 1) === short.slice(i)
}
