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
export function evalInterval(
  e: Expr,
  lookup: (key: string) => Interval | undefined,
): Interval | undefined {
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
      if (e.fn === 'sqrt')
        return a[1] < 0 ? undefined : [Math.sqrt(Math.max(0, a[0])), Math.sqrt(a[1])]
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
export function checkFormulas(
  task: Task,
  values: Readonly<Record<string, unknown>>,
): FormulaCheck[] {
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

/** Share of a broken formula's penalty left on terms that another term already explains. */
const residualBlame = 0.15

/**
 * Per-field consistency in [0, 1], for fields in at least one checked formula; others are absent.
 * Broken formulas are explained greedily by the fewest fields (a set cover): the field in the most
 * unexplained broken formulas, with the fewest intact ones, takes the blame first (ties share it).
 * An LVEDV typo breaks four formulas; LVEF sits in two of them and is left almost unharmed.
 */
export function consistencyScores(
  task: Task,
  checks: readonly FormulaCheck[],
): Map<string, number> {
  const fieldsOf = (c: FormulaCheck) => (task.equations[c.index] as { fields: string[] }).fields
  const intact = new Map<string, number>()
  const scores = new Map<string, number>()
  for (const c of checks) {
    for (const k of fieldsOf(c)) {
      scores.set(k, 1)
      if (c.score >= 1) intact.set(k, (intact.get(k) ?? 0) + 1)
    }
  }
  let unexplained = checks.filter((c) => c.score < 1)
  const blamedFor = new Map<FormulaCheck, Set<string>>()
  while (unexplained.length > 0) {
    const count = new Map<string, number>()
    for (const c of unexplained) for (const k of fieldsOf(c)) count.set(k, (count.get(k) ?? 0) + 1)
    const rank = (k: string) => (count.get(k) ?? 0) * 1000 - (intact.get(k) ?? 0)
    let best = Number.NEGATIVE_INFINITY
    for (const k of count.keys()) best = Math.max(best, rank(k))
    const culprits = [...count.keys()].filter((k) => rank(k) === best)
    for (const c of unexplained) {
      const hit = fieldsOf(c).filter((k) => culprits.includes(k))
      if (hit.length) blamedFor.set(c, new Set(hit))
    }
    unexplained = unexplained.filter((c) => !blamedFor.has(c))
  }
  for (const [c, culprits] of blamedFor) {
    for (const k of fieldsOf(c)) {
      const share = culprits.has(k) ? 1 : residualBlame
      scores.set(k, (scores.get(k) as number) * (1 - (1 - c.score) * share))
    }
  }
  return scores
}
