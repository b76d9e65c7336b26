/**
 * Leave-one-family-out for the word tasks (cxr14, bonemets3): per held-out family, a student is
 * trained with the same recipe on a corpus without that family, exported to ONNX, and run through
 * the real pipeline (`radstruct extract`, K = 3) on reports of only that family; `radstruct eval`
 * scores it. cxr14 rows also show the rule baseline (the task's aliases and status cues, NegEx
 * style) on the same reports. The held-out results double as the calibration fit set: the
 * students never saw those families, so their errors are the kind a new house style brings.
 * Usage:
 *   node models/encoder/lofo-words.ts --task cxr14 --families unsectioned,lang:de [--minutes 8] [--count 6000] [--test 300]
 * Writes .cache/lofo-<task>/<family>/ (train.jsonl, test/, model/, pred/, eval.json).
 * Then `node models/encoder/lofo-words.ts --task cxr14 --table` writes docs/encoder-lofo-<task>.md.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { evaluate } from '../../core/evaluation/compare.ts'
import { lexiconLabels } from '../../core/evaluation/lexicon-attribution.ts'
import { loadTask } from '../../schemas/load.ts'

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: 'cxr14' },
    families: { type: 'string', default: '' },
    minutes: { type: 'string', default: '8' },
    count: { type: 'string', default: '6000' },
    test: { type: 'string', default: '300' },
    table: { type: 'boolean', default: false },
    // a same-budget control: trained on every family (the held-out one included), tested on it
    control: { type: 'boolean', default: false },
    // families left out of every set of this run (e.g. languages added to the corpus later)
    without: { type: 'string', default: '' },
  },
})
const task = loadTask(values.task as string)
const base = `.cache/lofo-${task.id}`
const node = process.execPath
const cli = (...args: string[]) =>
  execFileSync(node, ['bin/radstruct.mjs', ...args], { encoding: 'utf8' })

for (const fam of (values.families as string).split(',').filter(Boolean)) {
  const dir = join(base, `${fam.replace(':', '-')}${values.control ? '-control' : ''}`)
  mkdirSync(dir, { recursive: true })
  if (!existsSync(`${dir}/train.jsonl`))
    execFileSync(node, [
      'models/encoder/dataset.ts',
      ...['--task', task.id, '--out', `${dir}/train.jsonl`, '--count', values.count as string],
      ...['--seed', '21'],
      ...(values.control
        ? values.without
          ? ['--exclude', values.without as string]
          : []
        : ['--exclude', [fam, values.without].filter(Boolean).join(',')]),
    ])
  if (!existsSync(`${dir}/val.jsonl`))
    execFileSync(node, [
      'models/encoder/dataset.ts',
      ...['--task', task.id, '--out', `${dir}/val.jsonl`, '--count', '200', '--seed', '22'],
      ...['--only', fam],
    ])
  // a control reads the very test set of its held-out run
  const heldOut = join(base, fam.replace(':', '-'))
  if (!existsSync(`${dir}/test`) && values.control && existsSync(`${heldOut}/test`))
    cpSync(`${heldOut}/test`, `${dir}/test`, { recursive: true })
  if (!existsSync(`${dir}/test`))
    cli(
      'distill',
      'synth',
      '--task',
      task.id,
      '--out',
      `${dir}/test`,
      '--count',
      values.test as string,
      '--seed',
      '23',
      '--only',
      fam,
    )
  if (!existsSync(`${dir}/run/val.json`))
    execFileSync(
      '/usr/bin/python3',
      [
        '-u',
        'models/encoder/train.py',
        ...['--train', `${dir}/train.jsonl`, '--val', `${dir}/val.jsonl`, '--out', `${dir}/run`],
        // a control trains for as many steps as its held-out run took (same budget, whatever
        // else shares the cores); a held-out run for --minutes
        ...(values.control && existsSync(`${heldOut}/run/val.json`)
          ? [
              '--steps',
              String(JSON.parse(readFileSync(`${heldOut}/run/val.json`, 'utf8')).step),
              '--minutes',
              '600',
            ]
          : ['--minutes', values.minutes as string]),
        ...['--batch', '16', '--threads', '1'],
      ],
      { stdio: 'inherit' },
    )
  if (!existsSync(`${dir}/model/encoder.json`))
    execFileSync('/usr/bin/python3', [
      'models/encoder/export.py',
      ...['--checkpoint', `${dir}/run/checkpoint.pt`, '--task', `schemas/tasks/${task.id}.json`],
      ...['--out', `${dir}/model`],
    ])
  cli(
    'extract',
    '--task',
    task.id,
    '--in',
    `${dir}/test`,
    '--out',
    `${dir}/pred`,
    '--model',
    `${dir}/model`,
  )
  const e = JSON.parse(
    cli('eval', '--task', task.id, '--pred', `${dir}/pred`, '--gold', `${dir}/test`, '--json'),
  )
  writeFileSync(`${dir}/eval.json`, `${JSON.stringify(e, null, 1)}\n`)
  console.log(fam, JSON.stringify({ accuracy: e.variableAccuracy, labels: e.labels?.macroF1 }))
}

if (values.table) {
  const rows: string[] = []
  for (const d of existsSync(base) ? readdirSync(base).sort() : []) {
    const dir = join(base, d)
    if (!existsSync(`${dir}/eval.json`)) continue
    const e = JSON.parse(readFileSync(`${dir}/eval.json`, 'utf8'))
    const steps = existsSync(`${dir}/run/val.json`)
      ? (JSON.parse(readFileSync(`${dir}/run/val.json`, 'utf8')) as { step: number }).step
      : Number.NaN
    const name = d.endsWith('-control')
      ? `${d.replace(/-control$/, '')} (control: trained on it too)`
      : d
    const t = e.confidence?.triage
    const above = t ? `${(100 * t.above.errorRate).toFixed(2)} % of ${t.above.count}` : 'n/a'
    if (task.id === 'cxr14') {
      const pairs = readdirSync(`${dir}/test`)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => ({
          id: f,
          pred: lexiconLabels(task, readFileSync(join(dir, 'test', f), 'utf8')),
          gold: JSON.parse(readFileSync(join(dir, 'test', f.replace(/\.txt$/, '.json')), 'utf8')),
        }))
      const rule = evaluate(task, pairs).labels
      rows.push(
        `| ${name} | ${steps} | ${e.labels.macroF1.toFixed(3)} | ${(100 * e.labels.mentionedAccuracy).toFixed(1)} % | ${rule?.macroF1.toFixed(3)} | ${(100 * (rule?.mentionedAccuracy ?? 0)).toFixed(1)} % | ${above} |`,
      )
    } else
      rows.push(
        `| ${name} | ${steps} | ${(100 * e.categoryAccuracy).toFixed(1)} % | ${e.reports} | ${above} |`,
      )
  }
  const head =
    task.id === 'cxr14'
      ? '| held-out family | steps | student macro F1 | student status accuracy (mentioned) | rules macro F1 | rules status accuracy | error rate above 0.7 |\n|---|---|---|---|---|---|---|'
      : '| held-out family | steps | student accuracy | reports | error rate above 0.7 |\n|---|---|---|---|---|'
  writeFileSync(
    `docs/encoder-lofo-${task.id}.md`,
    `# Leave-one-family-out (${task.id} encoder)

Each row: a student trained with models/encoder/train.py for ${values.minutes} minutes (one CPU thread) on
${values.count} synthetic reports that contain none of the family, exported to ONNX and run through
\`radstruct extract\` (K = 3) on ${values.test} reports of only that family, scored by \`radstruct eval\`.
Macro F1: per label, "positive or uncertain" against the rest, averaged. Rules: the task's aliases and
status cues alone (NegEx style, \`lexiconLabels\`). The error rate above the threshold uses the task's
confidence model as shipped. Reproduce: \`node models/encoder/lofo-words.ts --task ${task.id} --families F\`,
then \`--table\`.

${head}
${rows.join('\n')}
`,
  )
  console.log(`docs/encoder-lofo-${task.id}.md`)
}
