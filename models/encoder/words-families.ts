/**
 * The word students (cxr14, bonemets3) per family: fresh synthetic reports of each layout family
 * and each language, read by a model through the real pipeline (K = 3, confidence included) and
 * by the rules alone, scored against the corpus gold. With a held-out run's model and its
 * held-out families, this is the held-out table. Usage:
 *   node models/encoder/words-families.ts --task cxr14 [--model DIR] [--families plain,lang:it] [--count 120] [--seed 61] [--json FILE] [--decides never|explicit]
 * Nothing here trains; the seed is one no training set uses.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { OnnxEncoderBackend } from '../../adapters/backends/encoder.ts'
import { referenceModelsDir } from '../../adapters/backends/reference-student.ts'
import { evaluate, type ReportPair } from '../../core/evaluation/compare.ts'
import { boneCorpus, boneLanguages, boneLayoutFamily } from '../../distill/synth/bonemets.ts'
import { cxrCorpus, cxrLanguages, cxrLayoutFamily } from '../../distill/synth/cxr.ts'
import { builtinTask } from '../../schemas/index.ts'
import { readLabelled, rulesRecord, withDecides } from './read-labelled.ts'

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: 'cxr14' },
    model: { type: 'string' },
    families: { type: 'string' },
    count: { type: 'string', default: '120' },
    seed: { type: 'string', default: '61' },
    json: { type: 'string' },
    // whether explicit mentions (cxr14) or an explicit reading (bonemets3) decide (default: the task file's)
    decides: { type: 'string' },
  },
})
const builtin = builtinTask(values.task as string)
const task = builtin && withDecides(builtin, values.decides as 'never' | 'explicit' | undefined)
if (!task || (task.id !== 'cxr14' && task.id !== 'bonemets3'))
  throw new Error('--task is cxr14 or bonemets3')
const cxr = task.id === 'cxr14'
const corpus = cxr ? cxrCorpus : boneCorpus
const layoutFamilies = [...new Set(Object.values(cxr ? cxrLayoutFamily : boneLayoutFamily))]
const langs = (cxr ? cxrLanguages : boneLanguages).map((g) => `lang:${g}`)
const families = values.families
  ? (values.families as string).split(',')
  : [...layoutFamilies, ...langs]
const backend = await OnnxEncoderBackend.open({
  modelDir: values.model ?? join(referenceModelsDir, `encoder-${task.id}`),
  threads: 1,
})

const f3 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(3))
const pct = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '-' : `${(100 * x).toFixed(1)} %`
const rows: Record<string, unknown>[] = []
const head = cxr
  ? '| family | reports | student macro F1 | student status accuracy | rules macro F1 | rules status accuracy | error rate at >= 0.7 | ECE | errors flagged | reviewer load |'
  : '| family | reports | student accuracy | sensitivity 0 / 1 / 2 | rules accuracy | error rate at >= 0.7 | ECE | errors flagged | reviewer load |'
console.log(head)
console.log(
  `|${head
    .split('|')
    .slice(1, -1)
    .map(() => '---')
    .join('|')}|`,
)
for (const fam of families) {
  const reports = corpus({ count: Number(values.count), seed: Number(values.seed), only: [fam] })
  const pairs = await readLabelled(task, backend, reports)
  const rulePairs: ReportPair[] = reports.map((r) => ({
    id: r.id,
    pred: rulesRecord(task, r.text),
    gold: r.gold,
  }))
  const ev = evaluate(task, pairs)
  const rv = evaluate(task, rulePairs)
  const c = ev.confidence
  const conf = `${pct(c?.triage.above.errorRate)} | ${f3(c?.ece)} | ${pct(c?.triage.errorsFlagged)} | ${pct(c?.reviewerLoad)}`
  const row: Record<string, unknown> = {
    family: fam,
    reports: reports.length,
    errorAbove: c?.triage.above.errorRate,
    ece: c?.ece,
    errorsFlagged: c?.triage.errorsFlagged,
    reviewerLoad: c?.reviewerLoad,
  }
  if (cxr) {
    Object.assign(row, {
      macroF1: ev.labels?.macroF1,
      status: ev.labels?.mentionedAccuracy,
      rulesMacroF1: rv.labels?.macroF1,
      rulesStatus: rv.labels?.mentionedAccuracy,
    })
    console.log(
      `| ${fam} | ${reports.length} | ${f3(ev.labels?.macroF1)} | ${pct(ev.labels?.mentionedAccuracy)} | ${f3(rv.labels?.macroF1)} | ${pct(rv.labels?.mentionedAccuracy)} | ${conf} |`,
    )
  } else {
    const key = task.fields[0]?.key as string
    const sens = [0, 1, 2].map((g) => {
      const of = pairs.filter((p) => p.gold[key] === g)
      return of.length ? of.filter((p) => p.pred[key] === g).length / of.length : Number.NaN
    })
    Object.assign(row, {
      accuracy: ev.categoryAccuracy,
      sensitivity: sens,
      rulesAccuracy: rv.categoryAccuracy,
    })
    console.log(
      `| ${fam} | ${reports.length} | ${pct(ev.categoryAccuracy)} | ${sens.map((x) => pct(x)).join(' / ')} | ${pct(rv.categoryAccuracy)} | ${conf} |`,
    )
  }
  rows.push(row)
}
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 1))
