/** `radstruct eval`: compares predictions with gold and, where predictions carry confidence, the triage. */
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Evaluation, evaluate, type ReportPair } from '../../core/evaluation/compare.ts'
import { reliabilitySvg } from '../../core/evaluation/reliability-svg.ts'
import type { Task } from '../../schemas/task.ts'
import { CliError } from '../errors.ts'
import { jsonFilesById, loadTask, readRecord } from '../io.ts'

export const evalUsage = `radstruct eval --task TASK --pred DIR --gold DIR [--json] [--plot FILE.svg]

Pairs NNN.json files by name. A prediction is a record, or a scored result (values + confidence).
Prints variable-level accuracy (nulls count), report exact match, errors by kind and, with
confidence, the triage table, ECE, AUROC, the reviewer load (the share of fields opened, lowest
confidence first, to reach 99.5 % accuracy) and (with --plot) a reliability diagram.

A --gold folder of family folders (gold/<family>/NNN.json, predictions in pred/<family>/) prints
one row per family: error rate, errors among sure values (confidence >= the threshold), share of
fields flagged, share of errors flagged, reviewer load, and reviewer load minus the error rate.`

const pct = (x: number) => `${(100 * x).toFixed(2)} %`

export function runEval(opts: Record<string, string | boolean | undefined>): string {
  const task = loadTask(opts.task as string | undefined)
  if (typeof opts.pred !== 'string')
    throw new CliError('missing --pred', 'a folder of predicted NNN.json files')
  if (typeof opts.gold !== 'string')
    throw new CliError('missing --gold', 'a folder of gold NNN.json files')
  const families = familyFolders(opts.gold)
  if (families.length > 0)
    return runFamilies(task, opts.pred, opts.gold, families, opts.json === true)
  const e = evaluateFolders(task, opts.pred, opts.gold)
  if (typeof opts.plot === 'string') {
    if (!e.confidence) throw new CliError('--plot: the predictions carry no confidence to plot')
    writeFileSync(
      opts.plot,
      reliabilitySvg(e.confidence.reliability, `${task.id}: reliability (${e.values} values)`),
    )
  }
  return opts.json ? JSON.stringify(e, null, 2) : formatEvaluation(task.id, e)
}

/** Sub-folders of a gold folder that hold no records of its own: one family each. */
function familyFolders(gold: string): string[] {
  if (!statSync(gold).isDirectory()) return []
  const names = readdirSync(gold)
  if (names.some((n) => n.endsWith('.json'))) return []
  return names.filter((n) => statSync(join(gold, n)).isDirectory()).sort()
}

function evaluateFolders(task: Task, pred: string, gold: string): Evaluation {
  const preds = jsonFilesById(pred)
  const golds = jsonFilesById(gold)
  const missing = [...golds.keys()].filter((id) => !preds.has(id))
  if (missing.length) {
    throw new CliError(
      `${pred}: no prediction for ${missing.length} gold report(s): ${missing.slice(0, 10).join(', ')}`,
      'a missing prediction is an error, not an all-null record: write one file per report',
    )
  }
  const pairs: ReportPair[] = [...golds].map(([id, goldPath]) => {
    const p = readRecord(task, preds.get(id) as string)
    const pair: ReportPair = { id, pred: p.record, gold: readRecord(task, goldPath).record }
    if (p.confidence) pair.confidence = p.confidence
    return pair
  })
  if (pairs.length === 0) throw new CliError(`${gold}: no gold .json files`)
  return evaluate(task, pairs)
}

/** One family's triage figures, as the per-family table prints them (shares in [0, 1]). */
export interface FamilyRow {
  family: string
  reports: number
  values: number
  errorRate: number
  /** Errors among values at confidence >= the threshold. */
  sureErrors: number
  flagged: number
  errorsFlagged: number
  reviewerLoad: number
}

function familyRow(family: string, e: Evaluation): FamilyRow {
  const t = e.confidence?.triage
  if (!t) throw new CliError(`${family}: the predictions carry no confidence`)
  return {
    family,
    reports: e.reports,
    values: e.values,
    errorRate: 1 - e.variableAccuracy,
    sureErrors: t.above.errorRate,
    flagged: t.below.count / e.values,
    errorsFlagged: t.errorsFlagged,
    reviewerLoad: e.confidence?.reviewerLoad ?? Number.NaN,
  }
}

function runFamilies(
  task: Task,
  pred: string,
  gold: string,
  families: readonly string[],
  json: boolean,
): string {
  const rows = families.map((f) =>
    familyRow(f, evaluateFolders(task, join(pred, f), join(gold, f))),
  )
  if (json) return JSON.stringify(rows, null, 2)
  const p = (x: number) => (Number.isNaN(x) ? 'n/a' : (100 * x).toFixed(1)).padStart(7)
  const width = Math.max(8, ...families.map((f) => f.length))
  return [
    `task ${task.id}: per family (%; sure = confidence >= ${task.triageThreshold})`,
    `${'family'.padEnd(width)} reports  errors  sure err  flagged  errors flagged  load  load-errors`,
    ...rows.map(
      (r) =>
        `${r.family.padEnd(width)} ${String(r.reports).padStart(7)} ${p(r.errorRate)} ${p(r.sureErrors)}  ${p(r.flagged)}  ${p(r.errorsFlagged)}        ${p(r.reviewerLoad)} ${p(r.reviewerLoad - r.errorRate)}`,
    ),
  ].join('\n')
}

export function formatEvaluation(taskId: string, e: Evaluation): string {
  const lines = [
    `task ${taskId}: ${e.reports} reports, ${e.values} values`,
    `variable-level accuracy  ${pct(e.variableAccuracy)}`,
    `report exact match       ${pct(e.exactMatch)}`,
    `stated values recovered  ${pct(e.statedRecovered)} of ${e.stated}`,
    ...(Number.isNaN(e.categoryAccuracy)
      ? []
      : [`category accuracy        ${pct(e.categoryAccuracy)}`]),
    ...(e.labels
      ? [
          `label macro F1           ${e.labels.macroF1.toFixed(4)} (mentioned as positive or uncertain vs the rest)`,
          `status accuracy          ${pct(e.labels.mentionedAccuracy)} of ${e.labels.mentioned} mentioned labels`,
        ]
      : []),
    `errors                   omission ${e.errors.omission}, hallucination ${e.errors.hallucination}, wrong value ${e.errors.wrong_value}`,
  ]
  const worst = Object.entries(e.errorsByField).slice(0, 8)
  if (worst.length)
    lines.push(`most errors              ${worst.map(([k, n]) => `${k} ${n}`).join(', ')}`)
  if (e.confidence) {
    const t = e.confidence.triage
    lines.push(
      '',
      `triage at ${t.threshold}        values  errors  error rate`,
      `  confidence >= ${t.threshold}     ${String(t.above.count).padStart(6)}  ${String(t.above.errors).padStart(6)}  ${pct(t.above.errorRate)}`,
      `  confidence <  ${t.threshold}     ${String(t.below.count).padStart(6)}  ${String(t.below.errors).padStart(6)}  ${pct(t.below.errorRate)}`,
      `errors flagged ${pct(t.errorsFlagged)}, right values flagged ${pct(t.correctFlagged)}`,
      `ECE ${e.confidence.ece.toFixed(4)}, AUROC (confidence vs wrong) ${Number.isNaN(e.confidence.auroc) ? 'n/a (one class only)' : e.confidence.auroc.toFixed(4)}`,
      `reviewer load ${pct(e.confidence.reviewerLoad)} of fields opened, lowest confidence first, to reach 99.5 % accuracy`,
    )
  }
  return lines.join('\n')
}
