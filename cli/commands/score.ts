/** `radstruct score`: scores one record (with its report and samples) and prints the result JSON. */
import { scoreRecord } from '../../core/scoring/index.ts'
import type { Sex } from '../../core/text/sex.ts'
import { CliError } from '../errors.ts'
import { loadTask, readRecord, readText } from '../io.ts'

export const scoreUsage = `radstruct score --task TASK --record values.json [--report report.txt] [--samples s1.json,s2.json,...] [--sex male|female]

Scores one extracted record: per-field confidence from distribution plausibility, sampling stability
(when samples are given), cross-field consistency and grounding in the report text (when given).`

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
  return JSON.stringify(result, null, 2)
}
