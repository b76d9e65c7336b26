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
import { builtinTask } from '../../schemas/index.ts'
import {
  probeAnswer,
  readLabelled,
  realLanguageProbes,
  rulesRecord,
  withDecides,
} from './read-labelled.ts'

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
const probes = realLanguageProbes(task)
const backend = await OnnxEncoderBackend.open({
  modelDir: values.model ?? join(referenceModelsDir, `encoder-${task.id}`),
  threads: 1,
})
const results = await readLabelled(
  task,
  backend,
  probes.map((p, i) => ({ id: `p${i}`, text: p.text, gold: {} })),
)
await backend.close()
let n = 0
let student = 0
let rules = 0
let confidentWrong = 0
for (const [i, p] of probes.entries()) {
  const res = results[i] as (typeof results)[number]
  const ruled = rulesRecord(task, p.text)
  for (const [k, want] of p.expected) {
    n++
    const got = probeAnswer(task, k, res.pred[k])
    if (got === want) student++
    if (probeAnswer(task, k, ruled[k]) === want) rules++
    const c = res.confidence?.[k] ?? 0
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
