/**
 * Writes the reports whose PyTorch outputs export.py stores beside the model (parity.json), for the
 * test that onnxruntime in TypeScript reproduces them: two samples and one long report that needs
 * several windows; and, for a task of numbers, the inputs themselves as the runtime reads them
 * (FROZEN.json, stored as the model's parity-inputs.json), so that the parity test feeds
 * onnxruntime what PyTorch saw even after the readers change.
 * Usage: node models/encoder/parity-inputs.ts OUT.jsonl [TASK] [FROZEN.json] [fixed|balanced]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { encoderInputs, freezeInputs } from '../../core/encoder/inputs.ts'
import { scanText } from '../../core/text/scan.ts'
import { encoderExample } from '../../distill/encoder-set.ts'
import { loadTask } from '../../schemas/load.ts'

const task = loadTask(process.argv[3] ?? 'cmr52')
const sample = (n: number) =>
  readFileSync(`examples/samples/${task.id}/${String(n).padStart(3, '0')}.txt`, 'utf8')
const texts = [
  sample(2),
  task.id === 'cmr52' ? readFileSync('test/fixtures/cmr52-styles/e03.txt', 'utf8') : sample(5),
  Array.from({ length: 4 }, (_, i) => sample(i + (task.id === 'cmr52' ? 10 : 6))).join('\n\n'),
]
const lines = texts.map((text, i) => {
  const e = JSON.parse(encoderExample(task, { id: `parity-${i}`, text, gold: {} }))
  return JSON.stringify({ ...e, text })
})
writeFileSync(process.argv[2] as string, `${lines.join('\n')}\n`)
const frozen = process.argv[4]
if (frozen && task.fields.some((f) => f.kind === 'number')) {
  const windows = process.argv[5] === 'fixed' ? 'fixed' : 'balanced'
  const inputs = texts.map((t) => freezeInputs(encoderInputs(task, scanText(task, t), { windows })))
  writeFileSync(frozen, JSON.stringify(inputs))
}
