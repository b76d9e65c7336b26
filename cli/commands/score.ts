/** `radstruct score`: scores one record (with its report and samples) and prints the result JSON. */
import type { ScoredResult } from '../../core/result.ts'
import { scoreRecord } from '../../core/scoring/index.ts'
import type { Sex } from '../../core/text/sex.ts'
import { CliError } from '../errors.ts'
import { loadTask, readRecord, readText } from '../io.ts'

export const scoreUsage = `radstruct score --task TASK --record values.json [--report report.txt] [--samples s1.json,s2.json,...] [--sex male|female] [--format json|table]

Scores one extracted record: per-field confidence from distribution plausibility, sampling stability
(when samples are given), cross-field consistency and grounding in the report text (when given).
--format table prints the fields to review instead of the result JSON.`

export function runScore(opts: Record<string, string | boolean | undefined>): string {
  const task = loadTask(opts.task as string | undefined)
  if (typeof opts.record !== 'string')
    throw new CliError('missing --record', 'the JSON record to score: {"LVEDV": 124, ...}')
  const { record } = readRecord(task, opts.record)
  const samples =
    typeof opts.samples === 'string' && opts.samples.length > 0
      ? opts.samples.split(',').map((p) => readRecord(task, p.trim()).record)
      : []
  const sex = opts.sex
  if (sex !== undefined && sex !== 'male' && sex !== 'female')
    throw new CliError(`--sex: expected male or female, got '${String(sex)}'`)
  const result = scoreRecord(task, {
    values: record,
    samples,
    ...(typeof opts.report === 'string' ? { text: readText(opts.report) } : {}),
    ...(sex ? { sex: sex as Sex } : {}),
  })
  if (opts.format === undefined || opts.format === 'json') return JSON.stringify(result, null, 2)
  if (opts.format !== 'table')
    throw new CliError(`--format: expected json or table, got '${String(opts.format)}'`)
  return formatReview(result)
}

const fixed = (x: number | undefined) => (x === undefined ? '   - ' : x.toFixed(2).padStart(5))

/** The fields to review, lowest confidence first, with the signals that lowered them. */
export function formatReview(r: ScoredResult): string {
  const lines = [
    `task ${r.task}: ${Object.keys(r.values).length} fields, ${r.flagged.length} to review (confidence < ${r.threshold}); report confidence ${r.report.confidence.toFixed(3)}, expected errors ${r.report.expectedErrors.toFixed(2)}; sex ${r.report.sex ?? 'unknown'} (${r.report.sexSource})`,
  ]
  const cov = r.report.coverage
  if (cov && cov.reasons.length)
    lines.push(
      `${cov.whole ? 'whole report flagged' : 'report coverage'} ${cov.confidence.toFixed(2)}: ${cov.reasons.map((x) => x.detail).join('; ')}`,
    )
  if (r.flagged.length) {
    lines.push(
      '',
      'field       value        confidence  distribution  stability  consistency  grounding',
    )
    for (const k of r.flagged) {
      const s = r.signals[k] ?? {}
      lines.push(
        `${k.padEnd(11)} ${String(r.values[k]).padEnd(12)} ${fixed(r.confidence[k])}       ${fixed(s.distribution)}         ${fixed(s.stability)}      ${fixed(s.consistency)}        ${fixed(s.grounding)}`,
      )
    }
  }
  return lines.join('\n')
}
