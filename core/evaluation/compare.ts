/** Compares predicted records with gold: accuracy per value and per report, and the kinds of error. */
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import { sameFieldValue } from '../scoring/stability.ts'
import { type ConfidenceSummary, confidenceSummary, type Scored } from './metrics.ts'

export type ValueError = 'omission' | 'hallucination' | 'wrong_value'

export interface ReportPair {
  id: string
  pred: TaskRecord
  gold: TaskRecord
  /** Per-field confidence, when the predictions carry it. */
  confidence?: Record<string, number>
}

export interface Evaluation {
  reports: number
  values: number
  /** Share of values equal to gold, nulls included. */
  variableAccuracy: number
  /** Share of reports with every value equal to gold. */
  exactMatch: number
  /** Share of the gold's stated (non-null) values that the prediction has right. */
  statedRecovered: number
  stated: number
  /** Accuracy of category fields (CATEGORY), when the task has one; NaN otherwise. */
  categoryAccuracy: number
  errors: Record<ValueError, number>
  /** Field -> number of wrong values, worst first. */
  errorsByField: Record<string, number>
  confidence?: ConfidenceSummary
}

export function classifyError(pred: unknown, gold: unknown): ValueError | undefined {
  const p = pred === undefined ? null : pred
  const g = gold === undefined ? null : gold
  if (sameFieldValue(p as never, g as never)) return undefined
  if (p === null) return 'omission'
  if (g === null) return 'hallucination'
  return 'wrong_value'
}

export function evaluate(task: Task, pairs: readonly ReportPair[]): Evaluation {
  const errors: Record<ValueError, number> = { omission: 0, hallucination: 0, wrong_value: 0 }
  const byField: Record<string, number> = {}
  const scored: Scored[] = []
  let right = 0
  let exact = 0
  let stated = 0
  let recovered = 0
  let categories = 0
  let categoriesRight = 0
  for (const p of pairs) {
    let all = true
    for (const f of task.fields) {
      const e = classifyError(p.pred[f.key], p.gold[f.key])
      const g = p.gold[f.key]
      if (g !== null && g !== undefined) {
        stated++
        if (!e) recovered++
      }
      if (f.kind === 'category') {
        categories++
        if (!e) categoriesRight++
      }
      if (e) {
        errors[e]++
        byField[f.key] = (byField[f.key] ?? 0) + 1
        all = false
      } else right++
      const c = p.confidence?.[f.key]
      if (typeof c === 'number') scored.push({ confidence: c, correct: !e })
    }
    if (all) exact++
  }
  const values = pairs.length * task.fields.length
  const out: Evaluation = {
    reports: pairs.length,
    values,
    variableAccuracy: values ? right / values : 0,
    exactMatch: pairs.length ? exact / pairs.length : 0,
    statedRecovered: stated ? recovered / stated : 0,
    stated,
    categoryAccuracy: categories ? categoriesRight / categories : Number.NaN,
    errors,
    errorsByField: Object.fromEntries(Object.entries(byField).sort((a, b) => b[1] - a[1])),
  }
  if (scored.length) out.confidence = confidenceSummary(scored, task.triageThreshold)
  return out
}
