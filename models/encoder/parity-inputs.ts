/**
 * Writes the reports whose PyTorch outputs export.py stores beside the model (parity.json), for the
 * test that onnxruntime in TypeScript reproduces them: two samples and one long report that needs
 * several windows. Usage: node models/encoder/parity-inputs.ts OUT.jsonl
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { loadTask } from '../../cli/io.ts'
import { encoderExample } from '../../distill/encoder-set.ts'

const task = loadTask('cmr52')
const texts = [
  readFileSync('examples/samples/cmr52/002.txt', 'utf8'),
  readFileSync('test/fixtures/cmr52-styles/e03.txt', 'utf8'),
  Array.from({ length: 4 }, (_, i) =>
    readFileSync(`examples/samples/cmr52/${String(i + 10).padStart(3, '0')}.txt`, 'utf8'),
  ).join('\n\n'),
]
const lines = texts.map((text, i) => {
  const e = JSON.parse(encoderExample(task, { id: `parity-${i}`, text, gold: {} }))
  return JSON.stringify({ ...e, text })
})
writeFileSync(process.argv[2] as string, `${lines.join('\n')}\n`)
