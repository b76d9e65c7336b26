/**
 * Cross-field consistency: each formula is checked in interval arithmetic, so a value written to
 * its display precision (EF 65 from 80/124 = 64.5) is never called inconsistent; beyond rounding,
 * the formula's relative tolerance decides. A broken formula is blamed on its most suspicious term:
 * the one whose other formulas fail too.
 */
import type { Expr } from '../../schemas/formula.ts'
import type { Task } from '../../schemas/task.ts'
import { halfUlp } from '../numbers.ts'

type Interval = [number, number]

/** Evaluates an expression over value intervals; undefined when a term is missing or a division spans 0. */
export function evalInterval(e: Expr, lookup: (key: string) => Interval | undefined): Interval | undefined {
  switch (e.kind) {
    case 'num':
      return [e.value, e.value]
    case 'field':
      return lookup(e.key)
    case 'neg': {
      const a = evalInterval(e.arg, lookup)
      return a && [-a[1], -a[0]]
    }
    case 'call': {
      const a = evalInterval(e.arg, lookup)
      if (!a) return undefined
      if (e.fn === 'sqrt') return a[1] < 0 ? undefined : [Math.sqrt(Math.max(0, a[0])), Math.sqrt(a[1])]
      // abs
      if (a[0] >= 0) return a
      if (a[1] <= 0) return [-a[1], -a[0]]
      return [0, Math.max(-a[0], a[1])]
    }
    case 'bin': {
      const l = evalInterval(e.left, lookup)
      const r = l && evalInterval(e.right, lookup)
      if (!l || !r) return undefined
      switch (e.op) {
        case '+':
          return [l[0] + r[0], l[1] + r[1]]
        case '-':
          return [l[0] - r[1], l[1] - r[0]]
        case '*': {
          const p = [l[0] * r[0], l[0] * r[1], l[1] * r[0], l[1] * r[1]]
          return [Math.min(...p), Math.max(...p)]
        }
        case '/': {
          if (r[0] <= 0 && r[1] >= 0) return undefined
          const p = [l[0] / r[0], l[0] / r[1], l[1] / r[0], l[1] / r[1]]
          return [Math.min(...p), Math.max(...p)]
        }
      }
    }
  }
}

export interface FormulaCheck {
  /** Index into task.equations. */
  index: number
  /** 1 when both sides agree within rounding and tolerance; towards 0 as the gap grows. */
  score: number
  /** Relative gap beyond rounding, 0 when they agree. */
  gap: number
}

/** Checks every formula whose terms are all present. */
export function checkFormulas(task: Task, values: Readonly<Record<string, unknown>>): FormulaCheck[] {
  const lookup = (key: string): Interval | undefined => {
    const v = values[key]
    if (typeof v !== 'number') return undefined
    const h = halfUlp(v)
    return [v - h, v + h]
  }
  const out: FormulaCheck[] = []
  task.equations.forEach((eq, index) => {
    const l = evalInterval(eq.left, lookup)
    const r = l && evalInterval(eq.right, lookup)
    if (!l || !r) return
    const scale = Math.max(Math.abs((l[0] + l[1]) / 2), Math.abs((r[0] + r[1]) / 2), 1e-9)
    const raw = Math.max(0, r[0] - l[1], l[0] - r[1]) / scale
    const gap = Math.max(0, raw - eq.tolerance)
    // exp(-gap / tolerance): a miss of one more tolerance beyond the allowed one leaves ~0.37
    out.push({ index, gap, score: gap === 0 ? 1 : Math.exp(-gap / Math.max(eq.tolerance, 0.005)) })
  })
  return out
}

/** Sharpness of blame: a term whose other formulas hold gets (its fail ratio / the worst's)^3 of it. */
const blameExponent = 3

/**
 * Per-field consistency in [0, 1], for fields in at least one checked formula; others are absent.
 */
export function consistencyScores(task: Task, checks: readonly FormulaCheck[]): Map<string, number> {
  const failSum = new Map<string, number>()
  const count = new Map<string, number>()
  for (const c of checks) {
    for (const k of (task.equations[c.index] as { fields: string[] }).fields) {
      failSum.set(k, (failSum.get(k) ?? 0) + (1 - c.score))
      count.set(k, (count.get(k) ?? 0) + 1)
    }
  }
  const ratio = (k: string) => (failSum.get(k) ?? 0) / (count.get(k) ?? 1)
  const scores = new Map<string, number>()
  for (const k of count.keys()) scores.set(k, 1)
  for (const c of checks) {
    if (c.score >= 1) continue
    const fields = (task.equations[c.index] as { fields: string[] }).fields
    let worst = 0
    for (const k of fields) worst = Math.max(worst, ratio(k))
    for (const k of fields) {
      const share = worst > 0 ? (ratio(k) / worst) ** blameExponent : 1
      scores.set(k, (scores.get(k) ?? 1) * (1 - (1 - c.score) * share))
    }
  }
  return scores
}
