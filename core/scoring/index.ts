/**
 * Scores one record of a task: per-field signals, their calibrated combination, flags and a
 * report-level confidence. Pure: runs unchanged in Node and in workerd.
 */
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import type { ScoredResult } from '../result.ts'
import { type ScannedText, scanText } from '../text/scan.ts'
import { inferSex, type Sex } from '../text/sex.ts'
import { combine, defaultConfidenceModel, type Signals } from './combine.ts'
import { checkFormulas, consistencyScores } from './consistency.ts'
import { distributionScore } from './distribution.ts'
import { GroundingContext, groundCategory, groundLabel, type Span } from './grounding.ts'
import { stabilityScore } from './stability.ts'

export interface ScoreInput {
  /** The chosen (greedy) record; keys missing from it read as null. */
  values: TaskRecord
  /** The report text, for grounding and evidence spans; without it grounding is left out. */
  text?: string
  /** Pre-scanned text (scanText) when the same report is scored more than once. */
  scanned?: ScannedText
  /** K sampled records; null for a sample whose output did not parse. Empty: stability left out. */
  samples?: readonly (TaskRecord | null)[]
  /** The patient's sex when known from elsewhere; otherwise inferred from the text. */
  sex?: Sex
}

export function scoreRecord(task: Task, input: ScoreInput): ScoredResult {
  const samples = input.samples ?? []
  const text = input.scanned?.text ?? input.text
  const sexFromText = input.sex ? undefined : text !== undefined ? inferSex(text) : undefined
  const sex = input.sex ?? sexFromText
  const model = task.confidenceModel ?? defaultConfidenceModel

  const values: TaskRecord = {}
  for (const f of task.fields) values[f.key] = input.values[f.key] ?? null

  const consistency = consistencyScores(task, checkFormulas(task, values))
  const grounding =
    text !== undefined
      ? new GroundingContext(task, input.scanned ?? scanText(task, text))
      : undefined

  const signals: Record<string, Signals> = {}
  const evidence: Record<string, Span | null> = {}
  const confidence: Record<string, number> = {}
  // Stated numbers first, so that numbers they claim are not read as evidence of an omission.
  const order = [...task.fields].sort(
    (a, b) => Number(values[a.key] === null) - Number(values[b.key] === null),
  )
  for (const f of order) {
    const v = values[f.key] ?? null
    const s: Signals = {}
    if (f.kind === 'number' && typeof v === 'number') s.distribution = distributionScore(f, v, sex)
    const stab = stabilityScore(f.key, v, samples)
    if (stab !== undefined) s.stability = stab
    const cons = consistency.get(f.key)
    if (cons !== undefined) s.consistency = cons
    let span: Span | undefined
    if (text !== undefined) {
      const g =
        f.kind === 'number'
          ? grounding?.groundNumber(f, typeof v === 'number' ? v : null)
          : f.kind === 'category'
            ? groundCategory(f, v, text)
            : f.kind === 'label'
              ? groundLabel(task, f, v, text)
              : typeof v === 'string'
                ? groundText(v, text)
                : undefined
      if (g) {
        s.grounding = g.score
        span = g.span
      }
    }
    signals[f.key] = s
    evidence[f.key] = span ?? null
    confidence[f.key] = combine(model, s, v === null)
  }

  const flagged = task.fields
    .map((f) => f.key)
    .filter((k) => (confidence[k] as number) < task.triageThreshold)
    .sort((a, b) => (confidence[a] as number) - (confidence[b] as number))
  let all = 1
  let expectedErrors = 0
  for (const f of task.fields) {
    const c = confidence[f.key] as number
    all *= c
    expectedErrors += 1 - c
  }
  return {
    task: task.id,
    values,
    confidence: orderLike(task, confidence),
    signals: orderLike(task, signals),
    evidence: orderLike(task, evidence),
    flagged,
    threshold: task.triageThreshold,
    report: {
      confidence: all,
      expectedErrors,
      sex: sex ?? null,
      sexSource: input.sex ? 'given' : sexFromText ? 'report' : 'unknown',
      samples: samples.length,
    },
  }
}

function groundText(v: string, text: string): { score: number; span?: Span } {
  const i = text.toLowerCase().indexOf(v.toLowerCase())
  return i >= 0 ? { score: 1, span: { start: i, end: i + v.length } } : { score: 0.2 }
}

function orderLike<T>(task: Task, m: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {}
  for (const f of task.fields) out[f.key] = m[f.key] as T
  return out
}
