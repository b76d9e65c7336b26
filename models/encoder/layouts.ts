/**
 * Accuracy and confidence per layout (and per language) of the shipped cmr52 student, beside the
 * lexicon alone, on fresh synthetic reports of each layout: the table that says where the layout
 * reading still fails. Usage:
 *   node models/encoder/layouts.ts [--count 40] [--seed 21] [--model DIR] [--by layout|language] [--json FILE]
 * Nothing here trains; the reports are generated with a seed no training set uses.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { OnnxEncoderBackend } from '../../adapters/backends/encoder.ts'
import { referenceModelsDir } from '../../adapters/backends/reference-student.ts'
import { evaluate, type ReportPair } from '../../core/evaluation/compare.ts'
import { lexiconAttribution } from '../../core/evaluation/lexicon-attribution.ts'
import { scanText } from '../../core/text/scan.ts'
import { type ComposedReport, composeReport, layouts } from '../../distill/synth/compose.ts'
import { languages } from '../../distill/synth/languages.ts'
import { builtinTask } from '../../schemas/index.ts'
import { readLabelled } from './read-labelled.ts'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '40' },
    seed: { type: 'string', default: '21' },
    model: { type: 'string' },
    by: { type: 'string', default: 'layout' },
    json: { type: 'string' },
  },
})
const task = builtinTask('cmr52')
if (!task) throw new Error('no cmr52 task')
const count = Number(values.count)
const seed = Number(values.seed)
const backend = await OnnxEncoderBackend.open({
  modelDir: values.model ?? join(referenceModelsDir, 'encoder-cmr52'),
  threads: 1,
})
const groups: [string, ComposedReport[]][] =
  values.by === 'language'
    ? languages.map((g) => [
        `lang:${g}`,
        Array.from({ length: count }, (_, i) =>
          composeReport(task, seed, i, { layouts: [...layouts], langs: [g] }),
        ),
      ])
    : layouts.map((l) => [
        l,
        Array.from({ length: count }, (_, i) =>
          composeReport(task, seed, i, { layouts: [l], langs: [...languages] }),
        ),
      ])

const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}`)
console.log(
  `${values.by}`.padEnd(14) +
    'lexicon  student  stated  CATEGORY  right flagged  errors flagged  err >= 0.7  reviewer load',
)
const rows: Record<string, unknown>[] = []
for (const [name, reports] of groups) {
  const lexPairs: ReportPair[] = reports.map((r) => ({
    id: r.id,
    pred: lexiconAttribution(task, scanText(task, r.text)),
    gold: r.gold,
  }))
  const lex = evaluate(
    { ...task, fields: task.fields.filter((f) => f.kind === 'number') },
    lexPairs,
  )
  const pairs = await readLabelled(task, backend, reports)
  const ev = evaluate(task, pairs)
  const c = ev.confidence
  const row = {
    [values.by as string]: name,
    lexicon: lex.variableAccuracy,
    student: ev.variableAccuracy,
    stated: ev.statedRecovered,
    category: ev.categoryAccuracy,
    correctFlagged: c?.triage.correctFlagged,
    errorsFlagged: c?.triage.errorsFlagged,
    errorAbove: c?.triage.above.errorRate,
    reviewerLoad: c?.reviewerLoad,
  }
  rows.push(row)
  console.log(
    `${name.padEnd(14)}${pct(lex.variableAccuracy).padStart(7)}  ${pct(ev.variableAccuracy).padStart(7)}  ${pct(ev.statedRecovered).padStart(6)}  ${pct(ev.categoryAccuracy).padStart(8)}  ${pct(c?.triage.correctFlagged).padStart(13)}  ${pct(c?.triage.errorsFlagged).padStart(14)}  ${pct(c?.triage.above.errorRate).padStart(10)}  ${pct(c?.reviewerLoad).padStart(13)}`,
  )
}
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 1))
