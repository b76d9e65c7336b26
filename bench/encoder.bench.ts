/**
 * The encoder students' throughput on this machine (`npm run bench`): reports per second on one
 * CPU thread, K stability passes included, at several report lengths (how cost grows with input),
 * alone and batched as the worker batches a queue receive; the time in the model; peak RSS. Every
 * shipped task by default (BENCH_TASKS=cmr52,cxr14,bonemets3). Reports of a given length are built
 * from the task's samples joined end to end (words, not characters).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OnnxEncoderBackend } from '../adapters/backends/encoder.ts'
import { referenceModelsDir } from '../adapters/backends/reference-student.ts'
import { extractBatch } from '../core/extraction/pipeline.ts'
import { defaultSampling } from '../core/run-settings.ts'
import { builtinTask } from '../schemas/index.ts'

const root = join(import.meta.dirname, '..')
const words = (s: string) => s.split(/\s+/).filter(Boolean).length

/** n reports of about `target` words each, cycling through the samples. */
function reportsOf(samples: string[], target: number, n: number): string[] {
  const out: string[] = []
  let k = 0
  for (let i = 0; i < n; i++) {
    let text = ''
    while (words(text) < target) text += `${samples[k++ % samples.length]}\n\n`
    const cut = text.split(/(\s+)/)
    let w = 0
    let end = 0
    for (; end < cut.length && w < target; end++) if (cut[end]?.trim()) w++
    out.push(cut.slice(0, end).join(''))
  }
  return out
}

const passes = Number(process.env.BENCH_PASSES ?? defaultSampling.samples)
const sampling = { ...defaultSampling, samples: passes }
for (const id of (process.env.BENCH_TASKS ?? 'cmr52,cxr14,bonemets3').split(',')) {
  const task = builtinTask(id)
  if (!task) throw new Error(`no task ${id}`)
  const dir = join(root, 'examples', 'samples', id)
  const samples = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
  const backend = await OnnxEncoderBackend.open({
    modelDir: process.env.BENCH_MODEL ?? join(referenceModelsDir, `encoder-${id}`),
    threads: 1,
  })
  console.log(
    `\nradstruct encoder bench: ${backend.info.name}, ${id}, K = ${passes} stochastic passes, onnxruntime CPU, 1 thread\n`,
  )
  console.log('words/report  batch  reports/s  ms/report  model share  tokens/report')
  const batches = (process.env.BENCH_BATCHES ?? '1,8').split(',').map(Number)
  for (const batch of batches) {
    for (const target of [150, 300, 600, 1200, 2400]) {
      const n = target >= 1200 ? 8 : 24
      const texts = reportsOf(samples, target, n)
      // warm-up: the first run of a shape pays for allocation
      await extractBatch(
        task,
        backend,
        [{ site: 'b', batch: 'w', reportId: 'w', text: texts[0] as string }],
        sampling,
      )
      const start = performance.now()
      let modelMs = 0
      let tokens = 0
      for (let i = 0; i < texts.length; i += batch) {
        const jobs = texts
          .slice(i, i + batch)
          .map((text, j) => ({ site: 'b', batch: 'x', reportId: String(i + j), text }))
        for (const r of await extractBatch(task, backend, jobs, sampling)) {
          modelMs += r.timings.modelMs
          tokens += r.timings.promptTokens
        }
      }
      const wall = performance.now() - start
      console.log(
        `${String(target).padStart(12)}  ${String(batch).padStart(5)}  ${(n / (wall / 1000)).toFixed(1).padStart(9)}  ${(wall / n).toFixed(1).padStart(9)}  ${`${((100 * modelMs) / wall).toFixed(0)} %`.padStart(11)}  ${String(Math.round(tokens / n)).padStart(13)}`,
      )
    }
    console.log(
      `  peak RSS after batch ${batch}: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    )
  }
  await backend.close()
}
