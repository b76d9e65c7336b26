/**
 * Cross-field consistency: each formula is checked in interval arithmetic, so a value written to
 * its display precision (EF 65 from 80/124 = 64.5) is never called inconsistent; beyond rounding,
 * the formula's relative tolerance decides. A broken formula is blamed on its most suspicious term:
 * the one whose other formulas fail too.
 */
import type { Task } from '../../schemas/task.ts'
import { halfUlp } from '../numbers.ts'
import { compileInterval, type Program, runInterval } from './interval.ts'

export interface FormulaCheck {
  /** Index into task.equations. */
  index: number
  /** 1 when both sides agree within rounding and tolerance; towards 0 as the gap grows. */
  score: number
  /** Relative gap beyond rounding, 0 when they agree. */
  gap: number
}

/** Value bounds per field index (value +- its display rounding); NaN where the field is null. */
export interface Bounds {
  lo: ArrayLike<number>
  hi: ArrayLike<number>
}

export interface PreparedFormulas {
  keys: string[]
  index: ReadonlyMap<string, number>
  equations: { index: number; fields: number[]; left: Program; right: Program; tolerance: number }[]
}

const preparedCache = new WeakMap<Task, PreparedFormulas>()

export function prepareFormulas(task: Task): PreparedFormulas {
  let p = preparedCache.get(task)
  if (!p) {
    const keys = task.fields.map((f) => f.key)
    const index = new Map(keys.map((k, i) => [k, i]))
    p = {
      keys,
      index,
      equations: task.equations.map((eq, i) => ({
        index: i,
        fields: eq.fields.map((k) => index.get(k) as number),
        left: compileInterval(eq.left, (k) => index.get(k) as number),
        right: compileInterval(eq.right, (k) => index.get(k) as number),
        tolerance: eq.tolerance,
      })),
    }
    preparedCache.set(task, p)
  }
  return p
}

/** Bounds of a record's values: each number +- half a unit in its last written place. */
export function boundsOf(p: PreparedFormulas, values: Readonly<Record<string, unknown>>): Bounds {
  const lo = new Float64Array(p.keys.length).fill(Number.NaN)
  const hi = new Float64Array(p.keys.length).fill(Number.NaN)
  p.keys.forEach((k, i) => {
    const v = values[k]
    if (typeof v === 'number') {
      const h = halfUlp(v)
      lo[i] = v - h
      hi[i] = v + h
    }
  })
  return { lo, hi }
}

const left = new Float64Array(2)
const right = new Float64Array(2)

/** Checks every formula whose terms are all present. */
export function checkBounds(p: PreparedFormulas, b: Bounds): FormulaCheck[] {
  const out: FormulaCheck[] = []
  for (const eq of p.equations) {
    if (!runInterval(eq.left, b.lo, b.hi, left) || !runInterval(eq.right, b.lo, b.hi, right))
      continue
    const l0 = left[0] as number
    const l1 = left[1] as number
    const r0 = right[0] as number
    const r1 = right[1] as number
    const scale = Math.max(Math.abs((l0 + l1) / 2), Math.abs((r0 + r1) / 2), 1e-9)
    const raw = Math.max(0, r0 - l1, l0 - r1) / scale
    const gap = Math.max(0, raw - eq.tolerance)
    // exp(-gap / tolerance): a miss of one more tolerance beyond the allowed one leaves ~0.37
    out.push({
      index: eq.index,
      gap,
      score: gap === 0 ? 1 : Math.exp(-gap / Math.max(eq.tolerance, 0.005)),
    })
  }
  return out
}

/** Checks every formula of the task whose terms are all present in the record. */
export function checkFormulas(
  task: Task,
  values: Readonly<Record<string, unknown>>,
): FormulaCheck[] {
  const p = prepareFormulas(task)
  return checkBounds(p, boundsOf(p, values))
}

/** Share of a broken formula's penalty left on terms that another term already explains. */
const residualBlame = 0.15

/**
 * Per-field consistency in [0, 1] by field index; NaN for fields in no checked formula.
 * Broken formulas are explained greedily by the fewest fields (a set cover): the field in the most
 * unexplained broken formulas, with the fewest intact ones, takes the blame first (ties share it).
 * An LVEDV typo breaks four formulas; LVEF sits in two of them and is left almost unharmed.
 */
export function consistencyByIndex(p: PreparedFormulas, checks: readonly FormulaCheck[]): number[] {
  const n = p.keys.length
  const scores = new Array<number>(n).fill(Number.NaN)
  let broken = false
  for (const c of checks) {
    for (const k of (p.equations[c.index] as { fields: number[] }).fields) scores[k] = 1
    if (c.score < 1) broken = true
  }
  return broken ? blame(p, checks, scores) : scores
}

function blame(p: PreparedFormulas, checks: readonly FormulaCheck[], scores: number[]): number[] {
  const fieldsOf = (c: FormulaCheck) => (p.equations[c.index] as { fields: number[] }).fields
  const intact = new Array<number>(scores.length).fill(0)
  for (const c of checks)
    if (c.score >= 1) for (const k of fieldsOf(c)) intact[k] = (intact[k] as number) + 1
  let unexplained = checks.filter((c) => c.score < 1)
  const blamedFor = new Map<FormulaCheck, Set<number>>()
  while (unexplained.length > 0) {
    const count = new Map<number, number>()
    for (const c of unexplained) for (const k of fieldsOf(c)) count.set(k, (count.get(k) ?? 0) + 1)
    const rank = (k: number) => (count.get(k) ?? 0) * 1000 - (intact[k] as number)
    let best = Number.NEGATIVE_INFINITY
    for (const k of count.keys()) best = Math.max(best, rank(k))
    const culprits = new Set([...count.keys()].filter((k) => rank(k) === best))
    for (const c of unexplained) {
      const hit = fieldsOf(c).filter((k) => culprits.has(k))
      if (hit.length) blamedFor.set(c, new Set(hit))
    }
    unexplained = unexplained.filter((c) => !blamedFor.has(c))
  }
  for (const [c, culprits] of blamedFor) {
    for (const k of fieldsOf(c)) {
      const share = culprits.has(k) ? 1 : residualBlame
      scores[k] = (scores[k] as number) * (1 - (1 - c.score) * share)
    }
  }
  return scores
}

/** Per-field consistency by key, for fields in at least one checked formula. */
export function consistencyScores(
  task: Task,
  checks: readonly FormulaCheck[],
): Map<string, number> {
  const p = prepareFormulas(task)
  const byIndex = consistencyByIndex(p, checks)
  const out = new Map<string, number>()
  byIndex.forEach((s, i) => {
    if (!Number.isNaN(s)) out.set(p.keys[i] as string, s)
  })
  return out
}
