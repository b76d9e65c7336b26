/**
 * Sampling stability: the share of K samples (temperature 0.3) that agree with the chosen value.
 * A sample that failed to parse is a record of nulls-and-disagreement: it counts against every field.
 */

import type { FieldValue, TaskRecord } from '../../schemas/record.ts'
import { sameValue } from '../numbers.ts'

export function sameFieldValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === null || a === undefined) return b === null || b === undefined
  if (b === null || b === undefined) return false
  if (typeof a === 'number' && typeof b === 'number') return sameValue(a, b)
  return a === b
}

/** Fraction of samples agreeing with the chosen value; undefined with no samples (K = 0). */
export function stabilityScore(
  key: string,
  chosen: FieldValue,
  samples: readonly (TaskRecord | null)[],
): number | undefined {
  if (samples.length === 0) return undefined
  let agree = 0
  for (const s of samples) if (s !== null && sameFieldValue(chosen, s[key])) agree++
  return agree / samples.length
}
