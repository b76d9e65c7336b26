/**
 * The rule baseline on a labelled folder (NNN.txt + NNN.json): each label's strongest scoped
 * mention (core/text/mentions.ts, `lexiconLabels`), scored like a student by `evaluate`. Usage:
 *   node models/encoder/rules.ts --task cxr14 --in examples/samples/cxr14 [--errors]
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { evaluate } from '../../core/evaluation/compare.ts'
import { lexiconLabels } from '../../core/evaluation/lexicon-attribution.ts'
import { builtinTask } from '../../schemas/index.ts'

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: 'cxr14' },
    in: { type: 'string' },
    errors: { type: 'boolean', default: false },
  },
})
const task = builtinTask(values.task as string)
if (!task || !values.in) throw new Error('--task (a built-in label task) and --in are required')
const dir = values.in
const pairs = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => ({
    id: f,
    pred: lexiconLabels(task, readFileSync(join(dir, f), 'utf8')),
    gold: JSON.parse(readFileSync(join(dir, f.replace(/\.txt$/, '.json')), 'utf8')),
  }))
const e = evaluate(task, pairs)
const l = e.labels
if (!l) throw new Error(`task ${task.id} has no label fields`)
console.log(
  `${pairs.length} reports: macro F1 ${l.macroF1.toFixed(3)}, status accuracy ${(100 * l.mentionedAccuracy).toFixed(1)} % of ${l.mentioned}`,
)
console.log(
  Object.entries(l.f1)
    .map(([k, v]) => `${k} ${Number.isNaN(v) ? '-' : v.toFixed(2)}`)
    .join(', '),
)
if (values.errors)
  for (const p of pairs)
    for (const [k, g] of Object.entries(p.gold))
      if ((p.pred[k] ?? null) !== (g ?? null))
        console.log(`${p.id} ${k}: gold ${g} rules ${p.pred[k]}`)
