/**
 * Sampling stability: the share of K samples (temperature 0.3) that agree with the chosen value.
 * A sample that failed to parse (null) counts against every field; with K = 0 the signal is absent.
 */
import type { FieldValue } from '../../schemas/record.ts'
import { sameValue } from '../numbers.ts'

/** Numbers agree as written (124 = 124.0, 5.1 != 5.12); null and a missing key agree. */
export function sameFieldValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === null || a === undefined) return b === null || b === undefined
  if (b === null || b === undefined) return false
  if (typeof a === 'number' && typeof b === 'number') return sameValue(a, b)
  return a === b
}

/** Share of samples whose field i agrees with the chosen value; NaN with no samples. */
export function stabilityScore(
  chosen: FieldValue,
  samples: readonly (readonly FieldValue[] | null)[],
  i: number,
): number {
  if (samples.length === 0) return Number.NaN
  let agree = 0
  for (const s of samples) if (s !== null && sameFieldValue(chosen, s[i])) agree++
  return agree / samples.length
}
