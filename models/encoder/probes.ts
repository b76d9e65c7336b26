/**
 * The word students on the hand-written real-language probes (test/fixtures/real-language): each
 * probe names the labels it is about (cxr14) or its group (bonemets3). Reads them through the real
 * pipeline (K = 3, confidence included) and prints how many the student gets right, how many the
 * rules alone do, and the wrong answers with their confidence. Usage:
 *   node models/encoder/probes.ts --task cxr14 [--model DIR] [--decides never|explicit]
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { OnnxEncoderBackend } from '../../adapters/backends/encoder.ts'
import { referenceModelsDir } from '../../adapters/backends/reference-student.ts'
import { lexiconLabels } from '../../core/evaluation/lexicon-attribution.ts'
import { extractBatch } from '../../core/extraction/pipeline.ts'
import { defaultSampling } from '../../core/run-settings.ts'
import { readCategory } from '../../core/text/category-reading.ts'
import { readableText } from '../../core/text/sections.ts'
import { builtinTask } from '../../schemas/index.ts'
import type { CategoryField } from '../../schemas/task.ts'
import { realLanguageProbes, withDecides } from './read-labelled.ts'

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: 'cxr14' },
    model: { type: 'string' },
    decides: { type: 'string' },
  },
})
const builtin = builtinTask(values.task as string)
if (!builtin || (builtin.id !== 'cxr14' && builtin.id !== 'bonemets3'))
  throw new Error('--task is cxr14 or bonemets3')
const task = withDecides(builtin, values.decides as 'never' | 'explicit' | undefined)
const probes = realLanguageProbes(task.id)
const backend = await OnnxEncoderBackend.open({
  modelDir: values.model ?? join(referenceModelsDir, `encoder-${task.id}`),
  threads: 1,
})
const results = await extractBatch(
  task,
  backend,
  probes.map((p, i) => ({ site: 's', batch: 'b', reportId: `p${i}`, text: p.text })),
  defaultSampling,
)
await backend.close()
const category = task.fields[0] as CategoryField
const norm = (k: string, v: unknown) => String(v ?? (k === 'No Finding' ? 'negative' : null))
let n = 0
let student = 0
let rules = 0
let confidentWrong = 0
for (const [i, p] of probes.entries()) {
  const res = results[i] as (typeof results)[number]
  const expected =
    task.id === 'cxr14'
      ? p.expected.split(';').map((kv) => kv.split('=') as [string, string])
      : [[category.key, p.expected] as [string, string]]
  const ruled =
    task.id === 'cxr14'
      ? lexiconLabels(task, p.text)
      : {
          [category.key]: readCategory(task, category, readableText(p.text, task.input.sections))
            ?.value,
        }
  for (const [k, want] of expected) {
    n++
    const got = norm(k, res.values[k])
    if (got === want) student++
    if (norm(k, ruled[k]) === want) rules++
    const c = res.confidence[k] ?? 0
    if (got !== want) {
      if (c >= task.triageThreshold) confidentWrong++
      console.log(
        `  wrong: ${k} ${got} (want ${want}), confidence ${c.toFixed(2)}: ${p.text.trim().slice(0, 80)}`,
      )
    }
  }
}
console.log(
  `${task.id} probes: ${n} ${task.id === 'cxr14' ? 'labels' : 'reports'}; student ${student} (${((100 * student) / n).toFixed(1)} %), rules ${rules}; wrong at confidence >= ${task.triageThreshold}: ${confidentWrong}`,
)
