/**
 * Writes the reports whose PyTorch outputs export.py stores beside the model (parity.json), for the
 * test that onnxruntime in TypeScript reproduces them: two samples and one long report that needs
 * several windows. Usage: node models/encoder/parity-inputs.ts OUT.jsonl [TASK]
 */
import { readFileSync, writeFileSync } from 'node:fs'
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
