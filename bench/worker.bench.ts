/**
 * Extraction throughput with the embedded backend on this machine (`npm run bench`): reports/s,
 * generated tokens/s, the share of wall time spent outside the model, and peak RSS. Runs the tiny
 * random GGUF until the reference student ships: the runtime path is real, the model is not.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { EmbeddedBackend } from '../adapters/backends/embedded.ts'
import { extractReport } from '../core/extraction/pipeline.ts'
import { defaultSampling } from '../core/run-settings.ts'
import { builtinTask } from '../schemas/index.ts'

const root = join(import.meta.dirname, '..')
const modelPath = process.env.BENCH_MODEL ?? join(root, 'models', 'tiny-random.gguf')
const task = builtinTask('cmr52')
if (!task) throw new Error('cmr52 missing')
const reports = ['019', '020', '021', '022'].map((id) => ({
  id,
  text: readFileSync(join(root, 'examples', 'samples', 'cmr52', `${id}.txt`), 'utf8'),
}))
const sampling = { ...defaultSampling }

const backend = await EmbeddedBackend.open({ modelPath, sequences: 4, threads: 1 })
const start = performance.now()
let modelMs = 0
let generated = 0
let prompt = 0
for (const r of reports) {
  const result = await extractReport(
    task,
    backend,
    { site: 'bench', batch: 'b', reportId: r.id, text: r.text },
    sampling,
  )
  modelMs += result.timings.modelMs
  generated += result.timings.generatedTokens
  prompt += result.timings.promptTokens * (sampling.samples + 1)
}
const wall = performance.now() - start
await backend.close()
console.log(
  `\nradstruct worker bench: embedded backend, ${backend.info.name}, cmr52, K = ${sampling.samples}, ${reports.length} letter-style reports, 1 thread, 4 sequences\n`,
)
const row = (k: string, v: string) => console.log(`${k.padEnd(58)} ${v.padStart(12)}`)
row('reports per second', (reports.length / (wall / 1000)).toFixed(3))
row(
  'generated tokens per second (greedy + samples, in the model)',
  (generated / (modelMs / 1000)).toFixed(0),
)
row('prompt tokens per second (prefill, all sequences)', (prompt / (modelMs / 1000)).toFixed(0))
row(
  'share of wall time outside the model (target < 3 %)',
  `${((100 * (wall - modelMs)) / wall).toFixed(2)} %`,
)
row('peak RSS', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`)
