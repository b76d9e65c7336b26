/**
 * Label tasks against a gold that codes presence only (true / false / null per label, as MeSH codes
 * or NegBio's labels do): F1 per label with its false positives and negatives, macro F1, the error
 * rate among sure values, and each error's kind named in the task's own words (the cue or alias
 * that decided it), never the report's. Pure.
 */
import type { FieldValue } from '../../schemas/record.ts'
import type { LabelField, Task } from '../../schemas/task.ts'
import { statesOtherFinding } from '../scoring/label-rules.ts'
import { type CueScope, scopeMentions } from '../text/mentions.ts'
import { foldText } from '../text/scan.ts'

/** Gold per report id, then per label key: present, absent, or null (not judged: skipped). */
export type PresenceGold = ReadonlyMap<string, Readonly<Record<string, boolean | null>>>

export interface PresencePrediction {
  text: string
  values: Readonly<Record<string, FieldValue>>
  confidence?: Readonly<Record<string, number>>
}

export interface LabelCounts {
  tp: number
  fp: number
  fn: number
  /** NaN where the label has neither a gold nor a predicted presence. */
  f1: number
}

export interface PresenceEvaluation {
  /** Label key -> counts, for the labels the gold codes. */
  labels: Record<string, LabelCounts>
  /** Mean F1 over the labels with a defined F1. */
  macroF1: number
  /** Judged values at confidence >= the threshold, and how many of them are wrong. */
  sure: { count: number; errors: number }
  /** Error kind -> count, most frequent first. */
  kinds: [string, number][]
}

/** Positive or uncertain: what a presence-only gold calls present. */
export const isPresent = (v: FieldValue | undefined) => v === 'positive' || v === 'uncertain'

/** Scores predictions against one gold; reports the gold lacks or predictions lack are skipped. */
export function evaluatePresence(
  task: Task,
  gold: PresenceGold,
  predictions: ReadonlyMap<string, PresencePrediction>,
  threshold = task.triageThreshold,
): PresenceEvaluation {
  const fields = new Map(
    task.fields.filter((f): f is LabelField => f.kind === 'label').map((f) => [f.key, f]),
  )
  const labels: Record<string, LabelCounts> = {}
  const kinds = new Map<string, number>()
  const sure = { count: 0, errors: 0 }
  for (const [id, coded] of gold) {
    const p = predictions.get(id)
    if (!p) continue
    for (const [key, g] of Object.entries(coded)) {
      const field = fields.get(key)
      if (g === null || !field) continue
      const c = labels[key] ?? { tp: 0, fp: 0, fn: 0, f1: Number.NaN }
      labels[key] = c
      const said = isPresent(p.values[key])
      if (said && g) c.tp++
      else if (said) c.fp++
      else if (g) c.fn++
      const wrong = said !== g
      if ((p.confidence?.[key] ?? 0) >= threshold) {
        sure.count++
        if (wrong) sure.errors++
      }
      if (wrong) {
        const kind = errorKind(task, p.text, field, said)
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
      }
    }
  }
  for (const c of Object.values(labels)) c.f1 = f1(c)
  const defined = Object.values(labels).filter((c) => !Number.isNaN(c.f1))
  return {
    labels,
    macroF1: defined.reduce((s, c) => s + c.f1, 0) / (defined.length || Number.NaN),
    sure,
    kinds: [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  }
}

function f1(c: LabelCounts): number {
  const d = 2 * c.tp + c.fp + c.fn
  return d === 0 ? Number.NaN : (2 * c.tp) / d
}

/**
 * The kind of one error, in the task's words: "FP Cardiomegaly: positive 'cardiomegaly'", "FN
 * Pneumothorax: negated by 'no'", "FN Fracture: no mention". A derived label (No Finding) names
 * the labels that decided it. Never quotes the report beyond the task's own phrases.
 */
export function errorKind(
  task: Task,
  text: string,
  field: LabelField,
  saidPresent: boolean,
): string {
  const head = `${saidPresent ? 'FP' : 'FN'} ${field.key}:`
  if (field.positiveWhenNone) {
    const blockers = blockingMentions(task, text, field)
    return saidPresent
      ? `${head} normal, gold abnormal`
      : `${head} blocked by ${blockers.length ? blockers.join(', ') : 'the student'}`
  }
  const labels = task.fields.filter((f): f is LabelField => f.kind === 'label')
  const li = labels.indexOf(field)
  const scoped = scopeMentions(task, text)
  const own = scoped.mentions.filter((m) => m.label === li)
  const phrases = vocabulary([
    field.label,
    ...field.aliases,
    ...field.states.flatMap((s) => s.terms),
  ])
  const cues = cueVocabulary(task)
  const phraseAt = (a: number, b: number) => named(phrases, text.slice(a, b)) ?? 'a state phrase'
  if (saidPresent) {
    const m = own.find((x) => x.status === 'positive') ?? own.find((x) => x.status === 'uncertain')
    if (!m) return `${head} student, no mention`
    if (m.status === 'positive') return `${head} positive ${phraseAt(m.start, m.end)}`
    return `${head} uncertain by ${cueOf(scoped.scopes, m.start, text, cues)}`
  }
  const negated = own.find((x) => x.status === 'negative')
  if (negated) return `${head} negated by ${cueOf(scoped.scopes, negated.start, text, cues)}`
  if (own.length) return `${head} student overruled a mention`
  if (scoped.asked.some((a) => a.label === li)) return `${head} only asked about`
  return `${head} no mention`
}

/** The present labels' mentions that keep a derived label unset, by label name. */
function blockingMentions(task: Task, text: string, field: LabelField): string[] {
  const labels = task.fields.filter((f): f is LabelField => f.kind === 'label')
  const of = new Set(field.positiveWhenNone?.of ?? [])
  const out = new Set<string>()
  for (const m of scopeMentions(task, text).mentions) {
    const f = labels[m.label]
    if (f && of.has(f.key) && m.status !== 'negative') out.add(f.key)
  }
  const sorted = [...out].sort()
  return statesOtherFinding(task, field, text)
    ? [...sorted, 'a finding outside the labels']
    : sorted
}

type Vocabulary = Map<string, string>

/** Folded phrase -> the phrase as the task writes it. */
function vocabulary(phrases: readonly string[]): Vocabulary {
  return new Map(phrases.map((p) => [foldText(p).trim().replace(/\s+/g, ' '), p]))
}

function cueVocabulary(task: Task): Vocabulary {
  const c = task.statusCues
  return vocabulary(c ? Object.values(c).flat() : [])
}

/** The task's phrase a stretch of report text matches (plurals folded), quoted, or undefined. */
function named(v: Vocabulary, stretch: string): string | undefined {
  const f = foldText(stretch).trim().replace(/\s+/g, ' ')
  const hit = v.get(f) ?? v.get(f.replace(/s$/, ''))
  return hit === undefined ? undefined : `'${hit}'`
}

/** The nearest cue whose scope holds the position, named by the task's own cue phrase. */
function cueOf(scopes: readonly CueScope[], at: number, text: string, cues: Vocabulary): string {
  let best: CueScope | undefined
  for (const s of scopes)
    if (at >= s.start && at < s.end) {
      const d = (x: CueScope) => Math.abs(at - x.cueStart)
      if (!best || d(s) < d(best)) best = s
    }
  if (!best) return 'a state word'
  return named(cues, text.slice(best.cueStart, best.cueEnd)) ?? 'a cue'
}
