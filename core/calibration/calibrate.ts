/**
 * Calibration on labelled reports: plant errors in gold records, score every copy, fit the
 * combination, and measure it on reports the fit did not see (folds of consecutive report ids).
 */
import type { TaskRecord } from '../../schemas/record.ts'
import type { ConfidenceModel, Task } from '../../schemas/task.ts'
import { type ConfidenceSummary, confidenceSummary, type Scored } from '../evaluation/metrics.ts'
import { combine, type Signals } from '../scoring/combine.ts'
import { scoreRecord } from '../scoring/index.ts'
import { scanText } from '../text/scan.ts'
import { defaultFitOptions, type FitOptions, fitConfidenceModel } from './fit.ts'
import { type ErrorKind, errorKinds, perturb } from './perturb.ts'

export interface LabelledReport {
  id: string
  text: string
  gold: TaskRecord
  /** Field -> a value this report states for another exam. */
  distractors?: Record<string, number>
}

export interface Observation {
  report: string
  field: string
  signals: Signals
  isNull: boolean
  /** undefined for a right value; otherwise the planted error. */
  error: ErrorKind | undefined
}

/** Scores every field of every clean and perturbed copy; signals do not depend on the model. */
export function observe(
  task: Task,
  reports: readonly LabelledReport[],
  opts: { seed: number; copies: number },
): Observation[] {
  const out: Observation[] = []
  reports.forEach((rep, ri) => {
    const scanned = scanText(task, rep.text)
    const copies = [
      { record: rep.gold, planted: {} as Record<string, ErrorKind> },
      ...perturb(task, rep.gold, {
        seed: opts.seed + ri * 7919,
        copies: opts.copies,
        distractors: rep.distractors,
      }),
    ]
    for (const c of copies) {
      const result = scoreRecord(task, { values: c.record, scanned })
      for (const f of task.fields) {
        out.push({
          report: rep.id,
          field: f.key,
          signals: result.signals[f.key] as Signals,
          isNull: c.record[f.key] === null || c.record[f.key] === undefined,
          error: c.planted[f.key],
        })
      }
    }
  })
  return out
}

export interface CalibrationReport {
  model: ConfidenceModel
  folds: number
  observations: number
  errors: number
  /** Measured on held-out folds (each report scored by a model fitted without it). */
  heldOut: ConfidenceSummary & {
    /** Per planted error kind: how many, and the share flagged. */
    perKind: Record<string, { planted: number; flagged: number }>
  }
}

export type CalibrationOutcome =
  | { ok: true; report: CalibrationReport }
  | { ok: false; reason: string }

export function calibrate(
  task: Task,
  reports: readonly LabelledReport[],
  opts: { seed?: number; copies?: number; folds?: number; fit?: FitOptions } = {},
): CalibrationOutcome {
  const folds = Math.min(opts.folds ?? 4, reports.length)
  // planted errors carry no samples: stability keeps the weight fitted on a student's real samples
  const fit = opts.fit ?? {
    ...defaultFitOptions,
    fixed: { stability: task.confidenceModel?.weights.stability ?? 1 },
  }
  const obs = observe(task, reports, { seed: opts.seed ?? 1, copies: opts.copies ?? 3 })
  const fitted = fit.fitted
  if (!obs.some((o) => fitted.some((s) => o.signals[s] !== undefined))) {
    return {
      ok: false,
      reason: `no field of task ${task.id} has a signal to calibrate (${fitted.join(', ')}): give number fields, label aliases or category keywords`,
    }
  }
  const ids = reports.map((r) => r.id)
  // consecutive ids share a fold: in the shipped samples, a fold is a house style held out
  const foldOf = new Map(ids.map((id, i) => [id, Math.floor((i * folds) / ids.length)]))
  const toLabelled = (o: Observation) => ({
    signals: o.signals,
    isNull: o.isNull,
    correct: o.error === undefined,
  })
  const scored: (Scored & { kind: ErrorKind | undefined })[] = []
  for (let k = 0; k < folds; k++) {
    const model = fitConfidenceModel(
      obs.filter((o) => foldOf.get(o.report) !== k).map(toLabelled),
      fit,
    )
    for (const o of obs) {
      if (foldOf.get(o.report) !== k) continue
      scored.push({
        confidence: combine(model, o.signals, o.isNull),
        correct: o.error === undefined,
        kind: o.error,
      })
    }
  }
  const perKind: Record<string, { planted: number; flagged: number }> = {}
  for (const kind of errorKinds) {
    const xs = scored.filter((s) => s.kind === kind)
    perKind[kind] = {
      planted: xs.length,
      flagged: xs.length
        ? xs.filter((s) => s.confidence < task.triageThreshold).length / xs.length
        : 0,
    }
  }
  const model = fitConfidenceModel(obs.map(toLabelled), fit)
  const report: CalibrationReport = {
    model: {
      ...model,
      fittedOn: `${reports.length} ${task.id} reports, ${obs.length} values, ${obs.filter((o) => o.error).length} planted errors`,
    },
    folds,
    observations: obs.length,
    errors: obs.filter((o) => o.error).length,
    heldOut: { ...confidenceSummary(scored, task.triageThreshold), perKind },
  }
  return { ok: true, report }
}
