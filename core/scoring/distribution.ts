/**
 * Distribution plausibility: is the value one a patient can have? Two parts: hard limits (outside
 * them the value is physically implausible: a unit slip or a typo) and the reference population
 * of the patient's sex, widened so that disease, not only health, stays plausible.
 */
import type { Normal, NumberField } from '../../schemas/task.ts'
import type { Sex } from '../text/sex.ts'

/** z-scores up to this many SD are fully plausible (the normal range is about +-2 SD). */
export const plausibleZ = 2
/** How fast plausibility falls beyond that: z = plausibleZ + tau halves it roughly every 1.2 tau. */
export const zTau = 3
/** Score of a value outside the field's limits. */
export const outsideLimitsScore = 0.01

/** Score in (0, 1] of one value against one normal population. */
export function normalScore(n: Normal, v: number): number {
  const excess = Math.max(0, Math.abs(v - n.mean) / n.sd - plausibleZ) / zTau
  return Math.exp(-0.5 * excess * excess)
}

/**
 * Plausibility of a value in the field's canonical unit. With the sex unknown, the more lenient
 * of the two populations is used, so an unknown sex never makes a value look worse.
 */
export function distributionScore(field: NumberField, v: number, sex: Sex | undefined): number {
  const [lo, hi] = field.limits
  if (v < lo || v > hi) return outsideLimitsScore
  const r = field.reference
  if (!r) return 1
  const own = sex ? r[sex] : undefined
  if (own) return normalScore(own, v)
  let best = r.any ? normalScore(r.any, v) : 0
  if (r.male) best = Math.max(best, normalScore(r.male, v))
  if (r.female) best = Math.max(best, normalScore(r.female, v))
  return best
}
