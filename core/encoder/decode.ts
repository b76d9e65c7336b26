/**
 * From the encoder's logits to a record: per number field the most probable choice (a candidate
 * or "not stated"), its probability and its mention's span as evidence; the category from its head.
 * Pure, so the runtime adapters (onnxruntime, PyTorch parity tests) share it.
 */
import type { TaskRecord } from '../../schemas/record.ts'
import type { CategoryField, Task } from '../../schemas/task.ts'
import type { Span } from '../scoring/grounding.ts'
import { derivedLabel } from '../scoring/label-rules.ts'
import type { ScannedText } from '../text/scan.ts'
import type { EncoderInputs } from './inputs.ts'
import { labelClasses } from './labels.ts'

export interface EncoderReading {
  values: TaskRecord
  /** The model's probability of each value it chose (number fields and the category). */
  probability: Record<string, number>
  /** The category's and each stated label's probability of every value ('null' for none). */
  choices?: Record<string, Record<string, number>>
  /** The chosen mention's span (number and unit), UTF-16 offsets, end exclusive. */
  evidence: Record<string, Span>
}

function softmax(xs: Float32Array | number[], from: number, count: number): number[] {
  let max = -Infinity
  for (let i = 0; i < count; i++) max = Math.max(max, xs[from + i] as number)
  const e: number[] = []
  let sum = 0
  for (let i = 0; i < count; i++) {
    const v = Math.exp((xs[from + i] as number) - max)
    e.push(v)
    sum += v
  }
  return e.map((v) => v / sum)
}

export function categoryFieldOf(task: Task): CategoryField | undefined {
  return task.fields.find((f): f is CategoryField => f.kind === 'category')
}

/**
 * Decodes one report's slice of the outputs. `fieldLogits` is [F, 1 + width] for this report
 * (index 0: not stated), `categoryLogits` [K].
 */
export function decodeReading(
  task: Task,
  scan: ScannedText,
  inputs: EncoderInputs,
  fieldLogits: Float32Array,
  categoryLogits: Float32Array | undefined,
): EncoderReading {
  const values: TaskRecord = {}
  const probability: Record<string, number> = {}
  const evidence: Record<string, Span> = {}
  const choices = 1 + inputs.width
  for (const [fi, f] of inputs.fields.entries()) {
    const cands = inputs.candidates[fi] ?? []
    const p = softmax(fieldLogits, fi * choices, 1 + cands.length)
    let best = 0
    for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i
    if (best === 0) {
      values[f.key] = null
      probability[f.key] = p[0] as number
      continue
    }
    const c = cands[best - 1] as (typeof cands)[number]
    // candidates of the same value (a value restated) share its probability
    let same = 0
    for (const [i, o] of cands.entries()) if (o.value === c.value) same += p[i + 1] as number
    values[f.key] = c.value
    probability[f.key] = same
    const n = scan.numbers[c.mention]
    if (n) evidence[f.key] = { start: n.start, end: n.spanEnd }
  }
  const categoryChoices = decodeCategory(task, categoryLogits, values, probability)
  return { values, probability, evidence, ...(categoryChoices ? { choices: categoryChoices } : {}) }
}

function decodeCategory(
  task: Task,
  categoryLogits: Float32Array | undefined,
  values: TaskRecord,
  probability: Record<string, number>,
): EncoderReading['choices'] {
  const cat = categoryFieldOf(task)
  if (!cat || !categoryLogits) return undefined
  const p = softmax(categoryLogits, 0, categoryLogits.length)
  let best = 0
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i
  values[cat.key] = cat.values[best] ?? null
  probability[cat.key] = p[best] as number
  return { [cat.key]: Object.fromEntries(cat.values.map((v, i) => [String(v), p[i] as number])) }
}

/**
 * Decodes a word task's outputs for one report: per label the most probable status (or not
 * mentioned), its probability, and as evidence the clause of the token its attention weighed most;
 * a label with a `positiveWhenNone` rule is derived from the others, with the probability that
 * none of them has those statuses. `labelLogits` is [L, 4]; `labelScores` (the deterministic
 * pass only) this report's windows' [windows, width, L] token scores, `width` the packed length.
 */
export function decodeWords(
  task: Task,
  inputs: EncoderInputs,
  labelLogits: Float32Array | undefined,
  categoryLogits: Float32Array | undefined,
  scores?: { data: Float32Array; width: number },
): EncoderReading {
  const values: TaskRecord = {}
  const probability: Record<string, number> = {}
  const evidence: Record<string, Span> = {}
  const labels = inputs.labels
  const L = labels.length
  const dist: number[][] = []
  const labelChoices: Record<string, Record<string, number>> = {}
  if (labelLogits) {
    for (const [li, f] of labels.entries()) {
      const p = softmax(labelLogits, li * 4, 4)
      dist.push(p)
      if (!f.positiveWhenNone)
        labelChoices[f.key] = Object.fromEntries(
          labelClasses.map((c, i) => [String(c), p[i] as number]),
        )
      let best = 0
      for (let i = 1; i < 4; i++) if ((p[i] as number) > (p[best] as number)) best = i
      values[f.key] = labelClasses[best] ?? null
      probability[f.key] = p[best] as number
      if (best > 0 && scores) {
        const span = clauseSpan(inputs, scores, li, L)
        if (span) evidence[f.key] = span
      }
    }
    for (const f of labels) {
      const derived = derivedLabel(f, (k) => values[k])
      if (derived === undefined || !f.positiveWhenNone) continue
      const are = f.positiveWhenNone.are.map((s) => labelClasses.indexOf(s))
      let none = 1
      for (const k of f.positiveWhenNone.of) {
        const p = dist[labels.findIndex((l) => l.key === k)]
        if (p) none *= 1 - are.reduce((s, c) => s + (p[c] as number), 0)
      }
      values[f.key] = derived
      probability[f.key] = derived === 'positive' ? none : 1 - none
      delete evidence[f.key]
    }
  }
  const choices = { ...labelChoices, ...decodeCategory(task, categoryLogits, values, probability) }
  return { values, probability, evidence, ...(Object.keys(choices).length ? { choices } : {}) }
}

/** The clause around the token that label `li` weighed most, as a span of the report. */
function clauseSpan(
  inputs: EncoderInputs,
  scores: { data: Float32Array; width: number },
  li: number,
  L: number,
): Span | undefined {
  let best = -1
  let bestScore = -Infinity
  for (let w = 0; w < inputs.batch; w++) {
    const from = inputs.windowFrom[w] as number
    const count = Math.min(inputs.length, inputs.tokens.length - from)
    for (let t = 0; t < count; t++) {
      const s = scores.data[(w * scores.width + t) * L + li] as number
      if (s > bestScore) {
        bestScore = s
        best = from + t
      }
    }
  }
  if (best < 0) return undefined
  const c = inputs.clause[best]
  let a = best
  let b = best
  while (a > 0 && inputs.clause[a - 1] === c) a--
  while (b + 1 < inputs.tokens.length && inputs.clause[b + 1] === c) b++
  const first = inputs.tokens[a]
  const last = inputs.tokens[b]
  return first && last ? { start: first.start, end: last.end } : undefined
}
