/**
 * Rules across the labels of a task: a label that follows from the others (No Finding: positive
 * when no pathology is positive or uncertain) and labels that usually come together (pneumonia
 * with an opacity or a consolidation). Pure; the encoder's decoder derives the first, the scorer
 * checks both for any backend's record.
 */
import type { FieldValue } from '../../schemas/record.ts'
import type { LabelField, Task } from '../../schemas/task.ts'
import { type ReadText, scopeMentions } from '../text/mentions.ts'

/**
 * The value a `positiveWhenNone` label takes given the others, or undefined when it has no rule;
 * `otherFinding`: the report states a finding outside the labels that the rule names (CheXpert's
 * no-finding phrases), which leaves it null too.
 */
export function derivedLabel(
  f: LabelField,
  lookup: (key: string) => FieldValue | undefined,
  otherFinding = false,
): FieldValue | undefined {
  const rule = f.positiveWhenNone
  if (!rule) return undefined
  if (otherFinding) return null
  const are = new Set<string>(rule.are)
  return rule.of.some((k) => are.has(String(lookup(k) ?? ''))) ? null : 'positive'
}

/** Does the report state (positive or uncertain) a finding outside the labels that `f`'s rule
 * names? ("Degenerative changes of the spine": No Finding stays unset.) */
export function statesOtherFinding(task: Task, f: LabelField, text: ReadText): boolean {
  const rule = f.positiveWhenNone
  if (!rule?.unlessMentioned.length) return false
  const are = new Set<string>(rule.are)
  return scopeMentions(task, text).otherFindings.some((m) => are.has(m.status))
}

/** Score of a label that contradicts its rule. */
const brokenDerivation = 0.1
/** Score of a positive label without any of its usual companions. */
const lonely = 0.6

/** Consistency per field index: NaN where no rule applies; with the report text, a derived label
 * also follows the findings outside the labels that the text states. */
export function labelConsistency(
  task: Task,
  values: readonly FieldValue[],
  text?: ReadText,
): number[] {
  const index = new Map(task.fields.map((f, i) => [f.key, i]))
  const lookup = (k: string) => values[index.get(k) as number]
  const out = new Array<number>(task.fields.length).fill(Number.NaN)
  for (const [i, f] of task.fields.entries()) {
    if (f.kind !== 'label') continue
    const v = values[i] ?? null
    const derived = derivedLabel(f, lookup, text !== undefined && statesOtherFinding(task, f, text))
    if (derived !== undefined) out[i] = v === derived ? 1 : brokenDerivation
    else if (v === 'positive' && f.usuallyWith.length)
      out[i] = f.usuallyWith.some((k) => lookup(k) === 'positive' || lookup(k) === 'uncertain')
        ? 1
        : lonely
  }
  return out
}
