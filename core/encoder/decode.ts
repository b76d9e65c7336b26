/**
 * From the encoder's logits to a record: per number field the most probable choice (a candidate
 * or "not stated"), its probability and its mention's span as evidence; the category from its head.
 * Pure, so the runtime adapters (onnxruntime, PyTorch parity tests) share it.
 */
import type { TaskRecord } from '../../schemas/record.ts'
import type { CategoryField, Task } from '../../schemas/task.ts'
import type { Span } from '../scoring/grounding.ts'
import type { ScannedText } from '../text/scan.ts'
import type { EncoderInputs } from './inputs.ts'

export interface EncoderReading {
  values: TaskRecord
  /** The model's probability of each value it chose (number fields and the category). */
  probability: Record<string, number>
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
  const cat = categoryFieldOf(task)
  if (cat && categoryLogits) {
    const p = softmax(categoryLogits, 0, categoryLogits.length)
    let best = 0
    for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i
    values[cat.key] = cat.values[best] ?? null
    probability[cat.key] = p[best] as number
  }
  return { values, probability, evidence }
}
