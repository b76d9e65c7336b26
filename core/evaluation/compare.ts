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
  /** Label tasks (CheXpert style), when the task has label fields. */
  labels?: LabelEvaluation
  errors: Record<ValueError, number>
  /** Field -> number of wrong values, worst first. */
  errorsByField: Record<string, number>
  confidence?: ConfidenceSummary
}

export interface LabelEvaluation {
  /**
   * Mean over labels of F1 for "mentioned as present" (positive or uncertain) against the rest
   * (negative or not mentioned); labels with no such gold and no such prediction are left out.
   */
  macroF1: number
  /** Per label F1 (NaN where left out). */
  f1: Record<string, number>
  /** Share of gold-mentioned labels (not null) whose status is predicted exactly. */
  mentionedAccuracy: number
  mentioned: number
}

const present = (v: unknown) => v === 'positive' || v === 'uncertain'

export function evaluateLabels(
  task: Task,
  pairs: readonly ReportPair[],
): LabelEvaluation | undefined {
  const labels = task.fields.filter((f) => f.kind === 'label')
  if (labels.length === 0) return undefined
  const f1: Record<string, number> = {}
  let mentioned = 0
  let right = 0
  for (const f of labels) {
    let tp = 0
    let fp = 0
    let fn = 0
    for (const p of pairs) {
      const g = p.gold[f.key] ?? null
      const v = p.pred[f.key] ?? null
      if (present(g) && present(v)) tp++
      else if (present(v)) fp++
      else if (present(g)) fn++
      if (g !== null) {
        mentioned++
        if (v === g) right++
      }
    }
    f1[f.key] = tp + fp + fn === 0 ? Number.NaN : (2 * tp) / (2 * tp + fp + fn)
  }
  const counted = Object.values(f1).filter((x) => !Number.isNaN(x))
  return {
    macroF1: counted.length ? counted.reduce((a, b) => a + b, 0) / counted.length : Number.NaN,
    f1,
    mentionedAccuracy: mentioned ? right / mentioned : Number.NaN,
    mentioned,
  }
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
  const labels = evaluateLabels(task, pairs)
  if (labels) out.labels = labels
  if (scored.length) out.confidence = confidenceSummary(scored, task.triageThreshold)
  return out
}
