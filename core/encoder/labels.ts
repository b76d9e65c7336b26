/**
 * What the encoder's word heads read beside the token states: per token, its section (question,
 * findings, conclusion) and whether a negation or hedging cue of the task governs it (before it,
 * or after it: "is not widened"); per (token, label), whether the token is inside one of the
 * label's aliases and the status the scoped mention there states (core/text/mentions.ts). The
 * cues and aliases are the task's own, so a new synonym is a task-file change; the model learns
 * what they miss.
 */
import type { LabelField, Task } from '../../schemas/task.ts'
import { foldedOf, type ReadText, scopeMentions, textOf } from '../text/mentions.ts'
import { phraseRegex } from '../text/scan.ts'
import { sectionAt, sections } from '../text/sections.ts'
import type { Token } from './tokens.ts'

/** question, findings, conclusion, negative before, uncertain before, negative after, uncertain after */
export const tokenFeatureCount = 7
/** inside an alias of the label, last token of that alias, the mention's status there (positive, negative, uncertain) */
export const labelFeatureCount = 5

/** The label statuses in the order of the heads' outputs (0: not mentioned). */
export const labelClasses = [null, 'positive', 'negative', 'uncertain'] as const

const aliasCache = new WeakMap<Task, (RegExp | undefined)[]>()

function aliasMatchers(task: Task, labels: readonly LabelField[]): (RegExp | undefined)[] {
  let m = aliasCache.get(task)
  if (!m) {
    m = labels.map((f) => phraseRegex([f.label, ...f.aliases]))
    aliasCache.set(task, m)
  }
  return m
}

export function labelFieldsOf(task: Task): LabelField[] {
  return task.fields.filter((f): f is LabelField => f.kind === 'label')
}

/** First token whose end is after `offset`. */
function tokenAt(tokens: readonly Token[], offset: number): number {
  let lo = 0
  let hi = tokens.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((tokens[mid] as Token).end <= offset) lo = mid + 1
    else hi = mid
  }
  return lo
}

const clauseEnd = /^[.;!?]$|^(?:but|however|although|aber|jedoch|mais|pero|ma|maar)$/i

/** Clause number of each token: a clause ends at . ; ! ? "but", a blank line or a new list line. */
export function clauses(text: string, tokens: readonly Token[]): Int32Array {
  const out = new Int32Array(tokens.length)
  let c = 0
  for (const [i, t] of tokens.entries()) {
    const word = text.slice(t.start, t.end)
    if (i > 0 && (t.gap === 4 || (t.gap === 3 && /^[-*•\d]|^\p{Lu}/u.test(word)))) c++
    out[i] = c
    if (clauseEnd.test(word)) c++
  }
  return out
}

export interface WordFeatures {
  /** [tokens, tokenFeatureCount] */
  token: Float32Array
  /** [tokens, labels, labelFeatureCount] */
  label: Float32Array
  /** Clause of each token (for evidence spans). */
  clause: Int32Array
}

export function wordFeatures(task: Task, source: ReadText, tokens: readonly Token[]): WordFeatures {
  const text = textOf(source)
  const labels = labelFieldsOf(task)
  const T = tokens.length
  const S = tokenFeatureCount
  const token = new Float32Array(T * S)
  const label = new Float32Array(T * labels.length * labelFeatureCount)
  const clause = clauses(text, tokens)
  const secs = sections(text)
  for (const [i, t] of tokens.entries()) {
    const k = sectionAt(secs, t.start)
    if (k === 'question') token[i * S] = 1
    else if (k === 'findings') token[i * S + 1] = 1
    else if (k === 'conclusion') token[i * S + 2] = 1
  }
  if (T === 0) return { token, label, clause }
  const folded = foldedOf(source)
  const scoped = scopeMentions(task, source)
  const span = (start: number, end: number): [number, number] => [
    tokenAt(tokens, start),
    Math.min(T - 1, tokenAt(tokens, end - 1)),
  ]
  for (const sc of scoped.scopes) {
    if (sc.kind === 'hypothetical' || sc.end <= sc.start) continue
    const f = 3 + (sc.kind === 'negative' ? 0 : 1) + (sc.direction === 'after' ? 2 : 0)
    const [first, last] = span(sc.start, sc.end)
    for (let j = first; j <= last && j < T; j++) token[j * S + f] = 1
  }
  const L = labels.length
  const LF = labelFeatureCount
  for (const [li, re] of aliasMatchers(task, labels).entries()) {
    if (!re) continue
    for (const hit of folded.matchAll(re)) {
      const [first, last] = span(hit.index, hit.index + hit[0].length)
      for (let j = first; j <= last; j++) label[(j * L + li) * LF] = 1
      if (last >= first) label[(last * L + li) * LF + 1] = 1
    }
  }
  const statusFeature = { positive: 2, negative: 3, uncertain: 4 } as const
  for (const x of scoped.mentions) {
    const [first, last] = span(x.start, x.end)
    for (let j = first; j <= last; j++) {
      label[(j * L + x.label) * LF] = 1
      label[(j * L + x.label) * LF + statusFeature[x.status]] = 1
    }
  }
  return { token, label, clause }
}
