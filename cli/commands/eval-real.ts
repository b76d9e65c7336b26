/** `radstruct eval-real`: label results against presence-only golds of real reports (MeSH, NegBio). */

import {
  evaluatePresence,
  type PresenceEvaluation,
  type PresenceGold,
  type PresencePrediction,
} from '../../core/evaluation/label-presence.ts'
import type { Task } from '../../schemas/task.ts'
import { CliError } from '../errors.ts'
import { jsonFilesById, loadTask, readJson, readRecord, readReports, readText } from '../io.ts'

export const evalRealUsage = `radstruct eval-real --task cxr14 --reports FILE --pred DIR [--mesh FILE] [--negbio FILE] [--kinds N] [--json]

Scores label results (radstruct extract's OUT/<id>.json) against golds that code presence only:
a label counts as present when the result says positive or uncertain. Per gold: F1 per label with
its false positives and negatives, macro F1, errors among values at confidence >= the task's
threshold, and the N (default 20) most frequent error kinds, named by the task's own cue or alias
phrase (never the report's words).
  --mesh    JSON {id: {label: true|false|null}} (null: not judged, skipped)
  --negbio  NegBio's CSV (filename CXR<n> for report id iu<nnnn>; 1 present), its labels shared
            with the task: Atelectasis, Cardiomegaly, Effusion, Pneumothorax, Consolidation, Edema,
            Pneumonia, Mass or Nodule (Lung Lesion), normal (No Finding)
scripts/iu-dev.sh runs it on ../shared/real/iu-dev.`

/** NegBio's columns by the cxr14 label they stand for (Lung Lesion: a mass or a nodule). */
const negbioColumns: Record<string, string[]> = {
  Atelectasis: ['Atelectasis'],
  Cardiomegaly: ['Cardiomegaly'],
  'Pleural Effusion': ['Effusion'],
  Pneumothorax: ['Pneumothorax'],
  Consolidation: ['Consolidation'],
  Edema: ['Edema'],
  Pneumonia: ['Pneumonia'],
  'Lung Lesion': ['Mass', 'Nodule'],
  'No Finding': ['normal'],
}

/** NegBio's CSV as a presence gold keyed like the Open-i reports ("CXR376" -> "iu0376"). */
export function negbioGold(csv: string): PresenceGold {
  const [header, ...rows] = csv.split(/\r?\n/).filter((l) => l.trim())
  const names = (header ?? '').split(',').map((s) => s.trim())
  const out = new Map<string, Record<string, boolean | null>>()
  for (const row of rows) {
    const cells = row.split(',').map((s) => s.trim())
    const n = /^CXR(\d+)$/i.exec(cells[0] ?? '')
    if (!n) continue
    const coded: Record<string, boolean | null> = {}
    for (const [label, cols] of Object.entries(negbioColumns))
      coded[label] = cols.some((c) => cells[names.indexOf(c)] === '1')
    out.set(`iu${(n[1] as string).padStart(4, '0')}`, coded)
  }
  return out
}

function meshGold(data: unknown, path: string): PresenceGold {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new CliError(`${path}: expected {id: {label: true|false|null}}`)
  return new Map(Object.entries(data as Record<string, Record<string, boolean | null>>))
}

function predictions(task: Task, reportsPath: string, pred: string) {
  const { reports, problems } = readReports(reportsPath)
  if (problems.length) throw new CliError(problems.join('\n'))
  const files = jsonFilesById(pred)
  const out = new Map<string, PresencePrediction>()
  for (const r of reports) {
    const file = files.get(r.id)
    if (!file) continue
    const { record, confidence } = readRecord(task, file)
    out.set(r.id, { text: r.text, values: record, ...(confidence ? { confidence } : {}) })
  }
  if (out.size === 0)
    throw new CliError(
      `${pred}: no result for any report of ${reportsPath}`,
      'run radstruct extract first',
    )
  return out
}

export function runEvalReal(opts: Record<string, string | boolean | undefined>): string {
  const task = loadTask(opts.task as string | undefined)
  if (typeof opts.reports !== 'string')
    throw new CliError('missing --reports', 'the report file or folder')
  if (typeof opts.pred !== 'string')
    throw new CliError('missing --pred', 'radstruct extract --out DIR')
  const golds: [string, PresenceGold][] = []
  if (typeof opts.mesh === 'string') golds.push(['MeSH', meshGold(readJson(opts.mesh), opts.mesh)])
  if (typeof opts.negbio === 'string') golds.push(['NegBio', negbioGold(readText(opts.negbio))])
  if (golds.length === 0) throw new CliError('no gold', 'give --mesh FILE, --negbio FILE or both')
  const kinds = Number(opts.kinds ?? 20)
  const preds = predictions(task, opts.reports, opts.pred)
  const results = golds.map(([name, g]) => ({ name, ...evaluatePresence(task, g, preds) }))
  if (opts.json) return JSON.stringify(results, null, 2)
  return results
    .map((r) => formatPresence(r.name, preds.size, r, task.triageThreshold, kinds))
    .join('\n\n')
}

export function formatPresence(
  gold: string,
  reports: number,
  e: PresenceEvaluation,
  threshold: number,
  kinds: number,
): string {
  const f = (x: number) => (Number.isNaN(x) ? '  n/a' : x.toFixed(3))
  const width = Math.max(...Object.keys(e.labels).map((k) => k.length))
  const rate = e.sure.count ? ((100 * e.sure.errors) / e.sure.count).toFixed(2) : 'n/a'
  return [
    `== ${gold} gold: ${reports} reports (present = positive or uncertain)`,
    `${'label'.padEnd(width)}     F1    TP    FP    FN`,
    ...Object.entries(e.labels).map(
      ([k, c]) =>
        `${k.padEnd(width)}  ${f(c.f1)} ${String(c.tp).padStart(5)} ${String(c.fp).padStart(5)} ${String(c.fn).padStart(5)}`,
    ),
    `macro F1 ${f(e.macroF1)}`,
    `errors at confidence >= ${threshold}: ${e.sure.errors} of ${e.sure.count} (${rate} %)`,
    `most frequent error kinds:`,
    ...e.kinds.slice(0, kinds).map(([k, n]) => `${String(n).padStart(5)}  ${k}`),
  ].join('\n')
}
