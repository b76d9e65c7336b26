/**
 * Leave-one-family-out: for each family (a layout family or a language group), writes a training
 * set without it and a test set of only it, trains a student with the same recipe for a fixed
 * number of steps, and prints the held-out accuracy beside the lexicon-only attribution's on the
 * same reports. Usage:
 *   node models/encoder/lofo.ts [--families prose,grid,...] [--steps 300] [--count 3600] [--test 300]
 * Writes .cache/encoder/lofo/<family>/ and docs/encoder-lofo.md.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { lexiconAttribution } from '../../core/evaluation/lexicon-attribution.ts'
import { scanText } from '../../core/text/scan.ts'
import { composeCorpus } from '../../distill/synth/compose.ts'
import { generateCorpus } from '../../distill/synth/index.ts'
import { loadTask } from '../../schemas/load.ts'

const groups: Record<string, string[]> = {
  prose: ['prose'],
  lists: ['lists'],
  grid: ['grid'],
  plain: ['plain'],
  columns: ['columns'],
  vendor: ['vendor'],
  house: ['house'],
  germanic: ['lang:de', 'lang:nl'],
  romance: ['lang:fr', 'lang:it', 'lang:es', 'lang:pt'],
}

const { values } = parseArgs({
  options: {
    families: { type: 'string', default: Object.keys(groups).join(',') },
    steps: { type: 'string', default: '300' },
    count: { type: 'string', default: '3600' },
    test: { type: 'string', default: '300' },
  },
})
const task = loadTask('cmr52')
const rows: string[] = []
for (const fam of (values.families as string).split(',')) {
  const members = groups[fam]
  if (!members) throw new Error(`unknown family ${fam}; one of ${Object.keys(groups).join(', ')}`)
  const dir = `.cache/encoder/lofo/${fam}`
  mkdirSync(dir, { recursive: true })
  const node = process.execPath
  if (!existsSync(`${dir}/train.jsonl`))
    execFileSync(
      node,
      [
        'models/encoder/dataset.ts',
        '--out',
        `${dir}/train.jsonl`,
        '--count',
        values.count as string,
        '--seed',
        '11',
        '--exclude',
        members.join(','),
      ],
      { stdio: 'inherit' },
    )
  if (!existsSync(`${dir}/test.jsonl`))
    execFileSync(
      node,
      [
        'models/encoder/dataset.ts',
        '--out',
        `${dir}/test.jsonl`,
        '--count',
        values.test as string,
        '--seed',
        '12',
        '--only',
        members.join(','),
      ],
      { stdio: 'inherit' },
    )
  if (!existsSync(`${dir}/run/val.json`))
    execFileSync(
      '/usr/bin/python3',
      [
        '-u',
        'models/encoder/train.py',
        '--train',
        `${dir}/train.jsonl`,
        '--val',
        `${dir}/test.jsonl`,
        '--out',
        `${dir}/run`,
        '--steps',
        values.steps as string,
        '--minutes',
        '600',
        '--batch',
        '12',
      ],
      { stdio: 'inherit' },
    )
  const student = JSON.parse(readFileSync(`${dir}/run/val.json`, 'utf8')) as {
    fields: number
    category: number
  }
  // the lexicon baseline on the very reports of the test set (same generator, same seed)
  const n = Number(values.test)
  const reports =
    fam === 'house'
      ? generateCorpus(task, { count: n, seed: 12 + 7919 }).map((r) => ({
          text: r.text,
          gold: r.gold,
        }))
      : composeCorpus(task, { count: n, seed: 12, only: members })
  let right = 0
  let total = 0
  for (const r of reports) {
    const pred = lexiconAttribution(task, scanText(task, r.text))
    for (const f of task.fields) {
      if (f.kind !== 'number') continue
      total++
      const g = r.gold[f.key] ?? null
      const p = pred[f.key] ?? null
      if (g === p || (typeof g === 'number' && typeof p === 'number' && Math.abs(g - p) < 1e-6))
        right++
    }
  }
  const row = `| ${fam} (${members.join(', ')}) | ${(100 * student.fields).toFixed(1)} % | ${((100 * right) / total).toFixed(1)} % | ${(100 * student.category).toFixed(1)} % |`
  console.log(row)
  rows.push(row)
}
const md = `# Leave-one-family-out (cmr52 encoder)

Each row: a student trained with models/encoder/train.py for ${values.steps} steps on ${values.count} synthetic reports
that contain none of the family, tested on ${values.test} reports of only that family. Accuracy over the 52 number
fields (nulls count; a value no candidate states counts as wrong). Reproduce: \`node models/encoder/lofo.ts\`.

| held-out family | student | lexicon only | CATEGORY |
|---|---|---|---|
${rows.join('\n')}
`
mkdirSync('docs', { recursive: true })
writeFileSync('docs/encoder-lofo.md', md)
