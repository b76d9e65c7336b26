/**
 * Writes an encoder training or test set from the synthetic corpora (compositional + house
 * styles) as JSON lines. Usage:
 *   node models/encoder/dataset.ts [--task cmr52|cxr14|bonemets3] --out .cache/encoder/train.jsonl --count 12000 --seed 1 [--exclude grid,lang:it] [--only grid]
 */
import { createWriteStream, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { encoderExample } from '../../distill/encoder-set.ts'
import { boneCorpus } from '../../distill/synth/bonemets.ts'
import { composeCorpus } from '../../distill/synth/compose.ts'
import { cxrCorpus } from '../../distill/synth/cxr.ts'
import { generateCorpus } from '../../distill/synth/index.ts'
import { loadTask } from '../../schemas/load.ts'

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: 'cmr52' },
    out: { type: 'string' },
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    exclude: { type: 'string', default: '' },
    only: { type: 'string' },
    // share of reports from the seven house styles (family "house")
    house: { type: 'string', default: '0.15' },
  },
})
if (!values.out) throw new Error('--out is required')
const task = loadTask(values.task as string)
const count = Number(values.count)
const seed = Number(values.seed)
const exclude = values.exclude ? values.exclude.split(',') : []
const only = values.only ? values.only.split(',') : undefined
mkdirSync(dirname(values.out), { recursive: true })
const out = createWriteStream(values.out)
if (task.id !== 'cmr52') {
  const corpus = task.id === 'cxr14' ? cxrCorpus : task.id === 'bonemets3' ? boneCorpus : undefined
  if (!corpus) throw new Error(`no synthetic corpus for task ${task.id}`)
  for (const r of corpus({ count, seed, exclude, ...(only ? { only } : {}) }))
    out.write(`${encoderExample(task, r)}\n`)
  out.end()
} else {
  // the house styles include tables, LV | RV columns, vendor exports and prose: holding out any
  // layout family holds them out too, so nothing of that family leaks in through them
  const layoutHeldOut = exclude.some((f) => !f.startsWith('lang:'))
  const houseShare =
    exclude.includes('house') || layoutHeldOut
      ? 0
      : only
        ? only.includes('house')
          ? 1
          : 0
        : Number(values.house)
  const nHouse = Math.round(count * houseShare)
  const composed =
    nHouse < count
      ? composeCorpus(task, {
          count: count - nHouse,
          seed,
          exclude,
          ...(only ? { only: only.filter((f) => f !== 'house') } : {}),
        })
      : []
  for (const r of composed)
    out.write(
      `${encoderExample(task, { id: r.id, text: r.text, gold: r.gold, families: r.families })}\n`,
    )
  for (const r of generateCorpus(task, { count: nHouse, seed: seed + 7919 }))
    out.write(
      `${encoderExample(task, { id: r.id, text: r.text, gold: r.gold, families: ['house', `style:${r.style}`] })}\n`,
    )
  out.end()
}
