/**
 * The values a report states for each number field: every number in the text, converted from its
 * written unit to the field's (mm -> cm, ...) and kept when the field's hard limits allow it.
 * Grounded decoding restricts the student's answer to these (or null): the paper's rule "only what
 * is stated, never computed" enforced by the grammar rather than hoped for. Reference ranges are
 * left out; values from other exams stay in (the model and the scorer tell them apart).
 */
import type { NumberField, Task } from '../../schemas/task.ts'
import type { NumberMention, ScannedText } from './scan.ts'

/** Factors from what the number was written in to the field's unit; none if it cannot be this field. */
export function conversionFactors(f: NumberField, n: NumberMention): number[] {
  if (n.unit === f.unit) return [1]
  if (n.unit === undefined) return [1, ...f.conversions.map((c) => c.factor)]
  return f.conversions.filter((c) => c.unit === n.unit).map((c) => c.factor)
}

/** A written value as is; a converted one to two decimals, as labellers round (196 lb -> 88.9 kg),
 * which also drops binary noise (64 mm * 0.1 = 6.4000000000000004). */
export const tidy = (v: number, factor: number) => (factor === 1 ? v : Number(v.toFixed(2)))

/** Field key -> the distinct values the text states for it, ascending. */
export function statedValues(task: Task, scan: ScannedText): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const f of task.fields) {
    if (f.kind !== 'number') continue
    const values = new Set<number>()
    for (const n of scan.numbers) {
      if (n.inRange || n.unit === 'other') continue
      if (f.pairIndex !== undefined && n.pairIndex !== undefined && n.pairIndex !== f.pairIndex)
        continue
      for (const factor of conversionFactors(f, n)) {
        const v = tidy(n.value * factor, factor)
        if (v >= f.limits[0] && v <= f.limits[1]) values.add(v)
      }
    }
    out.set(
      f.key,
      [...values].sort((a, b) => a - b),
    )
  }
  return out
}
