/**
 * Writes synthetic reports of chosen families as a labelled folder (NNN.txt + NNN.json), the
 * shape `radstruct extract` and `radstruct calibrate --fit-from` read. The confidence pool is
 * fitted on a student's results for families that student never trained on. Usage:
 *   node models/encoder/heldout-set.ts --out DIR --count 300 --seed 41 --only chambergrid,scoped,vertical,dotted,lang:pt
 *   node models/encoder/heldout-set.ts --task cxr14 --out DIR --count 300 --only plain,lang:it
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { boneCorpus } from '../../distill/synth/bonemets.ts'
import { composeCorpus } from '../../distill/synth/compose.ts'
import { cxrCorpus } from '../../distill/synth/cxr.ts'
import { builtinTask } from '../../schemas/index.ts'

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '41' },
    only: { type: 'string', default: '' },
    task: { type: 'string', default: 'cmr52' },
  },
})
if (!values.out) throw new Error('--out is required')
const task = builtinTask(values.task as string)
if (!task) throw new Error(`no built-in task ${values.task}`)
const words = task.id === 'cxr14' ? cxrCorpus : task.id === 'bonemets3' ? boneCorpus : undefined
const only = (values.only as string).split(',').filter(Boolean)
// each layout family of the list with every language, and each language with every layout
const layoutsOnly = only.filter((f) => !f.startsWith('lang:'))
const langsOnly = only.filter((f) => f.startsWith('lang:'))
const n = Number(values.count)
const compose = (o: { count: number; seed: number; only: string[] }) =>
  words ? words(o) : composeCorpus(task, o)
const parts = [
  ...(layoutsOnly.length
    ? [compose({ count: n, seed: Number(values.seed), only: layoutsOnly })]
    : []),
  ...(langsOnly.length
    ? [
        compose({
          count: Math.round(n / 3),
          seed: Number(values.seed) + 1,
          only: langsOnly,
        }),
      ]
    : []),
]
mkdirSync(values.out, { recursive: true })
let i = 0
for (const r of parts.flat()) {
  const id = String(++i).padStart(4, '0')
  writeFileSync(join(values.out, `${id}.txt`), r.text)
  writeFileSync(join(values.out, `${id}.json`), `${JSON.stringify(r.gold)}\n`)
}
console.log(`${i} reports -> ${values.out}`)
