/** `radstruct calibrate`: plants errors in labelled reports, fits the confidence model, reports held-out figures. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type CalibrationReport,
  calibrate,
  type LabelledReport,
} from '../../core/calibration/calibrate.ts'
import { reliabilitySvg } from '../../core/evaluation/reliability-svg.ts'
import { CliError } from '../errors.ts'
import { jsonFilesById, loadTask, readJson, readRecord, readText } from '../io.ts'

export const calibrateUsage = `radstruct calibrate --task TASK [--samples DIR] [--distractors FILE] [--copies N] [--seed N] [--write FILE] [--plot FILE.svg] [--json]

Plants errors (unit slips, typos, left/right swaps, omissions, hallucinations, values from other
exams) in the labelled reports of DIR (NNN.txt + NNN.json), fits the confidence model, and prints
the error rate above and below the threshold, ECE, AUROC and the share flagged per error kind, all
measured on reports held out of the fit. --write stores the fitted model in a task file.`

const pct = (x: number) => `${(100 * x).toFixed(1)} %`

export function runCalibrate(opts: Record<string, string | boolean | undefined>): string {
  const task = loadTask(opts.task as string | undefined)
  const dir = typeof opts.samples === 'string' ? opts.samples : join('examples', 'samples', task.id)
  const distractorsPath =
    typeof opts.distractors === 'string'
      ? opts.distractors
      : join('calibration', `${task.id}-distractors.json`)
  const distractors = existsSync(distractorsPath)
    ? ((readJson(distractorsPath) as { reports?: Record<string, Record<string, number>> })
        .reports ?? {})
    : {}
  const reports: LabelledReport[] = [...jsonFilesById(dir)].map(([id, path]) => {
    const textPath = path.replace(/\.json$/, '.txt')
    const r: LabelledReport = { id, gold: readRecord(task, path).record, text: readText(textPath) }
    if (distractors[id]) r.distractors = distractors[id]
    return r
  })
  if (reports.length < 2)
    throw new CliError(
      `${dir}: need at least 2 labelled reports (NNN.txt + NNN.json), found ${reports.length}`,
    )
  const copies = opts.copies === undefined ? 3 : Number(opts.copies)
  const seed = opts.seed === undefined ? 1 : Number(opts.seed)
  if (!Number.isInteger(copies) || copies < 1)
    throw new CliError(`--copies: expected a positive integer, got '${String(opts.copies)}'`)
  if (!Number.isInteger(seed))
    throw new CliError(`--seed: expected an integer, got '${String(opts.seed)}'`)
  const outcome = calibrate(task, reports, { copies, seed })
  if (!outcome.ok) throw new CliError(outcome.reason)
  const report = outcome.report
  if (typeof opts.write === 'string') {
    const file = JSON.parse(readFileSync(opts.write, 'utf8'))
    file.confidenceModel = report.model
    writeFileSync(opts.write, `${JSON.stringify(file, null, 1)}\n`)
  }
  if (typeof opts.plot === 'string') {
    writeFileSync(
      opts.plot,
      reliabilitySvg(
        report.heldOut.reliability,
        `${task.id}: held-out reliability, planted errors`,
      ),
    )
  }
  return opts.json ? JSON.stringify(report, null, 2) : formatCalibration(task.id, report)
}

export function formatCalibration(taskId: string, r: CalibrationReport): string {
  const t = r.heldOut.triage
  const kinds = Object.entries(r.heldOut.perKind)
    .filter(([, k]) => k.planted > 0)
    .map(
      ([kind, k]) =>
        `  ${kind.padEnd(14)} ${String(k.planted).padStart(5)}  ${pct(k.flagged).padStart(8)}`,
    )
  const w = r.model.weights
  return [
    `task ${taskId}: ${r.observations} values scored, ${r.errors} planted errors, ${r.folds} folds (held out by report)`,
    `model: intercept ${r.model.intercept} (null ${r.model.interceptNull}); weights distribution ${w.distribution}, consistency ${w.consistency}, grounding ${w.grounding}, stability ${w.stability} (fixed)`,
    '',
    `held out, threshold ${t.threshold}:     values  errors  error rate`,
    `  confidence >= ${t.threshold}        ${String(t.above.count).padStart(6)}  ${String(t.above.errors).padStart(6)}  ${pct(t.above.errorRate)}`,
    `  confidence <  ${t.threshold}        ${String(t.below.count).padStart(6)}  ${String(t.below.errors).padStart(6)}  ${pct(t.below.errorRate)}`,
    `errors flagged ${pct(t.errorsFlagged)}; right values flagged ${pct(t.correctFlagged)}`,
    `ECE ${r.heldOut.ece.toFixed(4)}; AUROC (confidence vs wrong) ${r.heldOut.auroc.toFixed(4)}`,
    '',
    '  error kind     planted  flagged',
    ...kinds,
  ].join('\n')
}
