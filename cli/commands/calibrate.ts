/** `radstruct calibrate`: plants errors in labelled reports, fits the confidence model, reports held-out figures. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type CalibrationReport,
  calibrate,
  type LabelledReport,
} from '../../core/calibration/calibrate.ts'
import {
  type FitOptions,
  fitNonNegative,
  type LabelledSignals,
  resultsFitOptions,
} from '../../core/calibration/fit.ts'
import { fitStabilityWeight } from '../../core/calibration/stability-weight.ts'
import { classifyError } from '../../core/evaluation/compare.ts'
import { confidenceSummary } from '../../core/evaluation/metrics.ts'
import { reliabilitySvg } from '../../core/evaluation/reliability-svg.ts'
import {
  combine,
  defaultConfidenceModel,
  type SignalName,
  type Signals,
  signalNames,
} from '../../core/scoring/combine.ts'
import type { Task } from '../../schemas/task.ts'
import { CliError } from '../errors.ts'
import { jsonFilesById, loadTask, readJson, readRecord, readText } from '../io.ts'

export const calibrateUsage = `radstruct calibrate --task TASK [--samples DIR] [--distractors FILE] [--copies N] [--seed N] [--write FILE] [--plot FILE.svg] [--json]
radstruct calibrate --task TASK --stability-from RESULTS_DIR --gold DIR [--write FILE]
radstruct calibrate --task TASK --fit-from RESULTS_DIR[,...] --gold DIR[,...] [--refit SIGNALS] [--test-from RESULTS_DIR[,...] --test-gold DIR[,...]] [--write FILE] [--plot FILE.svg]

Plants errors (unit slips, typos, left/right swaps, omissions, hallucinations, values from other
exams) in the labelled reports of DIR (NNN.txt + NNN.json), fits the confidence model, and prints
the error rate above and below the threshold, ECE, AUROC and the share flagged per error kind, all
measured on reports held out of the fit. --write stores the fitted model in a task file.

With --fit-from: fits every weight (the model's own probability included) on a student's real
results for labelled reports it was not trained on, unweighted so that confidence is calibrated,
and prints the triage, ECE and AUROC on the --test-from results (other reports, other styles).
Comma-separated folders pair results with gold family by family. --refit coverage fits only the
named weights, the others and the intercepts held at the task file's fitted pool.

With --stability-from: fits the stability signal's weight on a student's real results (radstruct
extract with K samples) for labelled reports, the other weights held; planted errors have no samples.`

const pct = (x: number) => `${(100 * x).toFixed(1)} %`

export function runCalibrate(opts: Record<string, string | boolean | undefined>): string {
  const task = loadTask(opts.task as string | undefined)
  if (typeof opts['stability-from'] === 'string') return runStabilityFit(task, opts)
  if (typeof opts['fit-from'] === 'string') return runResultsFit(task, opts)
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
    const stabilityFittedOn = task.confidenceModel?.stabilityFittedOn
    const withModel = task.confidenceModel?.withModel
    file.confidenceModel = {
      ...report.model,
      ...(stabilityFittedOn ? { stabilityFittedOn } : {}),
      ...(withModel ? { withModel } : {}),
    }
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

function runStabilityFit(task: Task, opts: Record<string, string | boolean | undefined>): string {
  const predDir = opts['stability-from'] as string
  if (typeof opts.gold !== 'string')
    throw new CliError('missing --gold', 'the labelled records (NNN.json) of the reports')
  const { obs, reports } = resultObservations(task, predDir, opts.gold, { needSamples: true })
  const model = task.confidenceModel ?? defaultConfidenceModel
  const fit = fitStabilityWeight(model, obs, task.triageThreshold)
  const at = (w: number) => fit.grid.find((g) => Math.abs(g.weight - w) < 1e-9)
  const lines = [
    `task ${task.id}: stability weight fitted on ${reports} report(s), ${obs.length} values, ${obs.filter((o) => !o.correct).length} wrong`,
    'weight  log loss  errors flagged  right flagged',
    ...[0, 0.25, 0.5, model.weights.stability, fit.weight]
      .filter((w, i, a) => a.indexOf(w) === i)
      .sort((a, b) => a - b)
      .map((w) => {
        const g = at(Math.round(w * 20) / 20)
        return g
          ? `${g.weight.toFixed(2).padStart(6)}  ${g.logLoss.toFixed(4).padStart(8)}  ${pct(g.errorsFlagged).padStart(14)}  ${pct(g.rightFlagged).padStart(13)}${g.weight === fit.weight ? '  <- fitted' : ''}`
          : ''
      })
      .filter(Boolean),
  ]
  if (typeof opts.write === 'string') {
    const file = JSON.parse(readFileSync(opts.write, 'utf8'))
    file.confidenceModel = {
      ...model,
      weights: { ...model.weights, stability: fit.weight },
      stabilityFittedOn: `${reports} ${task.id} reports (${obs.length} values) from the student's own samples`,
    }
    writeFileSync(opts.write, `${JSON.stringify(file, null, 1)}\n`)
    lines.push(`-> ${opts.write}`)
  }
  return lines.join('\n')
}

/**
 * --refit SIGNALS: fit only these weights, the others and the intercepts held at the task's
 * fitted pool (a new signal fitted on new data without undoing the old fit); default: every one.
 */
function refitOptions(task: Task, refit: string | boolean | undefined): FitOptions {
  if (typeof refit !== 'string') return resultsFitOptions
  const pool = task.confidenceModel?.withModel
  if (!pool)
    throw new CliError(
      '--refit: the task file has no fitted pool to keep',
      'fit every weight first (without --refit)',
    )
  const fitted = refit.split(',') as SignalName[]
  for (const s of fitted)
    if (!signalNames.includes(s))
      throw new CliError(`--refit: unknown signal '${s}'; expected ${signalNames.join(', ')}`)
  const fixed: FitOptions['fixed'] = {}
  for (const s of signalNames) if (!fitted.includes(s)) fixed[s] = pool.weights[s] ?? 0
  return {
    ...resultsFitOptions,
    fitted,
    fixed,
    interceptPrior: { stated: pool.intercept, null: pool.interceptNull, l2: 1e6 },
  }
}

/** Per field of each result with a gold record: its signals, whether null, whether right. */
function resultObservations(
  task: Task,
  predDirs: string,
  goldDirs: string,
  opts: { needSamples?: boolean } = {},
): { obs: LabelledSignals[]; reports: number } {
  // comma-separated lists pair result folders with their gold folders, one family each
  const preds = predDirs.split(',')
  const golds = goldDirs.split(',')
  if (preds.length !== golds.length)
    throw new CliError(
      `${preds.length} result folder(s) and ${golds.length} gold folder(s)`,
      'give one gold folder per result folder, in the same order',
    )
  const obs: LabelledSignals[] = []
  let reports = 0
  preds.forEach((p, i) => {
    const r = familyObservations(task, p, golds[i] as string, opts)
    for (const o of r.obs) obs.push(o)
    reports += r.reports
  })
  return { obs, reports }
}

function familyObservations(
  task: Task,
  predDir: string,
  goldDir: string,
  opts: { needSamples?: boolean },
): { obs: LabelledSignals[]; reports: number } {
  const gold = jsonFilesById(goldDir)
  const obs: LabelledSignals[] = []
  let reports = 0
  for (const [id, path] of jsonFilesById(predDir)) {
    const goldPath = gold.get(id)
    if (!goldPath) continue
    const result = readJson(path) as {
      values?: Record<string, unknown>
      signals?: Record<string, Signals>
      report?: { samples?: number }
    }
    if (!result.values || !result.signals)
      throw new CliError(`${path}: not a result with values and signals (radstruct extract output)`)
    if (opts.needSamples && !result.report?.samples)
      throw new CliError(`${path}: made without samples (K = 0): nothing to fit stability on`)
    const g = readRecord(task, goldPath).record
    reports++
    for (const f of task.fields) {
      const v = result.values[f.key] ?? null
      obs.push({
        signals: result.signals[f.key] ?? {},
        isNull: v === null,
        correct: classifyError(v, g[f.key]) === undefined,
      })
    }
  }
  if (reports === 0) throw new CliError(`${predDir}: no result whose id has a record in ${goldDir}`)
  return { obs, reports }
}

function runResultsFit(task: Task, opts: Record<string, string | boolean | undefined>): string {
  if (typeof opts.gold !== 'string')
    throw new CliError('missing --gold', 'the labelled records (NNN.json) of the reports')
  const train = resultObservations(task, opts['fit-from'] as string, opts.gold).obs
  const model = fitNonNegative(train, refitOptions(task, opts.refit))
  const w = model.weights
  const lines = [
    `task ${task.id}: fitted on ${train.length} values of a student's results, ${train.filter((o) => !o.correct).length} wrong`,
    `model: intercept ${model.intercept} (null ${model.interceptNull}); weights distribution ${w.distribution}, stability ${w.stability}, consistency ${w.consistency}, grounding ${w.grounding}, model ${w.model}, coverage ${w.coverage}`,
  ]
  const summarise = (name: string, obs: LabelledSignals[]) => {
    const scored = obs.map((o) => ({
      confidence: combine(model, o.signals, o.isNull),
      correct: o.correct,
    }))
    const c = confidenceSummary(scored, task.triageThreshold)
    const t = c.triage
    lines.push(
      '',
      `${name}, threshold ${t.threshold}:  values  errors  error rate`,
      `  confidence >= ${t.threshold}     ${String(t.above.count).padStart(6)}  ${String(t.above.errors).padStart(6)}  ${pct(t.above.errorRate)}`,
      `  confidence <  ${t.threshold}     ${String(t.below.count).padStart(6)}  ${String(t.below.errors).padStart(6)}  ${pct(t.below.errorRate)}`,
      `errors flagged ${pct(t.errorsFlagged)}; right values flagged ${pct(t.correctFlagged)}`,
      `ECE ${c.ece.toFixed(4)}; AUROC (confidence vs wrong) ${Number.isNaN(c.auroc) ? 'n/a' : c.auroc.toFixed(4)}`,
    )
    return c
  }
  summarise('fitted on', train)
  if (typeof opts['test-from'] === 'string') {
    if (typeof opts['test-gold'] !== 'string')
      throw new CliError('missing --test-gold', 'the labelled records of the --test-from reports')
    const held = summarise(
      'held out',
      resultObservations(task, opts['test-from'], opts['test-gold']).obs,
    )
    if (typeof opts.plot === 'string')
      writeFileSync(
        opts.plot,
        reliabilitySvg(
          held.reliability,
          `${task.id}: held-out reliability, the student's own results`,
        ),
      )
  }
  if (typeof opts.write === 'string') {
    const file = JSON.parse(readFileSync(opts.write, 'utf8'))
    file.confidenceModel = {
      ...(file.confidenceModel ?? defaultConfidenceModel),
      withModel: {
        ...model,
        fittedOn:
          typeof opts.refit === 'string'
            ? // a refit replaces the note of the last refit of the same signals, never stacks on it
              `${(task.confidenceModel?.withModel?.fittedOn ?? '').split(`; ${opts.refit} refitted on `)[0]}; ${opts.refit} refitted on ${train.length} values (${opts['fit-from']})`
            : `${train.length} values of the encoder student's own results (${opts['fit-from']})`,
      },
    }
    writeFileSync(opts.write, `${JSON.stringify(file, null, 1)}\n`)
    lines.push(`-> ${opts.write}`)
  }
  return lines.join('\n')
}
