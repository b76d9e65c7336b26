/**
 * Rules across the labels of a task: a label that follows from the others (No Finding: positive
 * when no pathology is positive or uncertain) and labels that usually come together (pneumonia
 * with an opacity or a consolidation). Pure; the encoder's decoder derives the first, the scorer
 * checks both for any backend's record.
 */
import type { FieldValue } from '../../schemas/record.ts'
import type { LabelField, Task } from '../../schemas/task.ts'

/** The value a `positiveWhenNone` label takes given the others, or undefined when it has no rule. */
export function derivedLabel(
  f: LabelField,
  lookup: (key: string) => FieldValue | undefined,
): FieldValue | undefined {
  const rule = f.positiveWhenNone
  if (!rule) return undefined
  const are = new Set<string>(rule.are)
  return rule.of.some((k) => are.has(String(lookup(k) ?? ''))) ? null : 'positive'
}

/** Score of a label that contradicts its rule. */
const brokenDerivation = 0.1
/** Score of a positive label without any of its usual companions. */
const lonely = 0.6

/** Consistency per field index: NaN where no rule applies. */
export function labelConsistency(task: Task, values: readonly FieldValue[]): number[] {
  const index = new Map(task.fields.map((f, i) => [f.key, i]))
  const lookup = (k: string) => values[index.get(k) as number]
  const out = new Array<number>(task.fields.length).fill(Number.NaN)
  for (const [i, f] of task.fields.entries()) {
    if (f.kind !== 'label') continue
    const v = values[i] ?? null
    const derived = derivedLabel(f, lookup)
    if (derived !== undefined) out[i] = v === derived ? 1 : brokenDerivation
    else if (v === 'positive' && f.usuallyWith.length)
      out[i] = f.usuallyWith.some((k) => lookup(k) === 'positive' || lookup(k) === 'uncertain')
        ? 1
        : lonely
  }
  return out
}
