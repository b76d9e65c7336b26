/**
 * What the encoder's word heads read beside the token states: per token, its section (question,
 * findings, conclusion) and whether a negation or hedging cue of the task governs it (a cue before
 * it in its clause, or an after-cue such as "is not widened" following it); per (token, label),
 * whether the token is inside one of the label's aliases. The cues and aliases are the task's own
 * (statusCues, aliases), so a new synonym is a task-file change; the model learns what they miss.
 */
import type { LabelField, Task } from '../../schemas/task.ts'
import { foldText, phraseRegex } from '../text/scan.ts'
import { sectionAt, sections } from '../text/sections.ts'
import type { Token } from './tokens.ts'

/** question, findings, conclusion, negative before, uncertain before, negative after, uncertain after */
export const tokenFeatureCount = 7
/** inside an alias of the label, last token of that alias */
export const labelFeatureCount = 2
/** How far a cue reaches, in tokens, inside its clause. */
const cueReach = 12

/** The label statuses in the order of the heads' outputs (0: not mentioned). */
export const labelClasses = [null, 'positive', 'negative', 'uncertain'] as const

interface Matchers {
  cues: (RegExp | undefined)[]
  aliases: (RegExp | undefined)[]
}
const cache = new WeakMap<Task, Matchers>()

function matchers(task: Task, labels: readonly LabelField[]): Matchers {
  let m = cache.get(task)
  if (!m) {
    const c = task.statusCues
    m = {
      cues: [c?.negative, c?.uncertain, c?.negativeAfter, c?.uncertainAfter].map((xs) =>
        phraseRegex(xs ?? []),
      ),
      aliases: labels.map((f) => phraseRegex([f.label, ...f.aliases])),
    }
    cache.set(task, m)
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

export function wordFeatures(task: Task, text: string, tokens: readonly Token[]): WordFeatures {
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
  const folded = foldText(text)
  const m = matchers(task, labels)
  for (const [ci, re] of m.cues.entries()) {
    if (!re) continue
    const after = ci >= 2
    for (const hit of folded.matchAll(re)) {
      const first = tokenAt(tokens, hit.index)
      const last = tokenAt(tokens, hit.index + hit[0].length - 1)
      if (first >= T) continue
      const own = clause[first] as number
      if (!after) {
        for (let j = last + 1; j < Math.min(T, last + 1 + cueReach) && clause[j] === own; j++)
          token[j * S + 3 + ci] = 1
      } else {
        for (let j = first - 1; j >= Math.max(0, first - cueReach) && clause[j] === own; j--)
          token[j * S + 3 + ci] = 1
      }
    }
  }
  const L = labels.length
  for (const [li, re] of m.aliases.entries()) {
    if (!re) continue
    for (const hit of folded.matchAll(re)) {
      const first = tokenAt(tokens, hit.index)
      const last = Math.min(T - 1, tokenAt(tokens, hit.index + hit[0].length - 1))
      for (let j = first; j <= last; j++) label[(j * L + li) * labelFeatureCount] = 1
      if (last >= first) label[(last * L + li) * labelFeatureCount + 1] = 1
    }
  }
  return { token, label, clause }
}
