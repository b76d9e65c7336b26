/** `radstruct extract`: the worker's pipeline over local files, one result JSON per report. */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { encoderDirs } from '../../adapters/backends/encoder-set.ts'
import { openBackend } from '../../adapters/backends/index.ts'
import { referenceModelsDir } from '../../adapters/backends/reference-student.ts'
import { FileSink } from '../../adapters/sinks/file.ts'
import {
  chunkByText,
  defaultSampling,
  encoderBatchChars,
  extractBatch,
  type SamplingSettings,
} from '../../core/extraction/pipeline.ts'
import { CliError } from '../errors.ts'
import { loadTask, readReports } from '../io.ts'
import { progressGroup } from '../progress.ts'
import {
  type ExportFormat,
  exportExtension,
  isExportFormat,
  recordsFromFolder,
  writeExport,
} from './export.ts'

/** Does the file start with GGUF's magic ("GGUF")? */
function isGguf(path: string): boolean {
  if (statSync(path).isDirectory()) return false
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(4)
    readSync(fd, head, 0, 4, 0)
    return head.toString('latin1') === 'GGUF'
  } finally {
    closeSync(fd)
  }
}

export const extractUsage = `radstruct extract --task TASK --in DIR|FILE --out DIR [--backend encoder|embedded|server] [--model DIR (encoder: one model folder or a folder of them, default: the shipped encoders for cmr52, cxr14 and bonemets3) | FILE.gguf (embedded) | --server-url URL [--dialect vllm|llama.cpp]] [--samples K] [--temperature T] [--decoding grounded|free] [--max-tokens N] [--threads N] [--batch N] [--format fhir|fhir-transaction|redcap|parquet]

The default backend is the encoder student (onnxruntime, one CPU thread): it ranks the numbers
each report states (cmr52), or classifies each label's status (cxr14) and a report's group
(bonemets3); its K samples are stochastic passes (MC dropout). A task no model serves
is refused (exit 2), never guessed. embedded runs a GGUF model in-process; server any
OpenAI-compatible endpoint (vLLM, llama-server).

Runs the extraction pipeline over local reports with no queue or cloud: .txt files (one report
each, named by file), .ndjson/.jsonl (one {"id", "text"} per line) and .json files (one report or
an array; a NNN.json beside NNN.txt is that report's label and is skipped). Grounded decoding
(the default) lets a number field take only a value the report states, or null. Writes OUT/<report id>.json per report (the result the worker stores), ready for
radstruct eval, with a progress bar on stderr. --format also writes them all as OUT/export.<format>
(see radstruct export).`

const int = (name: string, v: string | boolean | undefined, fallback: number, min: number) => {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`--${name}: expected an integer >= ${min}, got '${String(v)}'`)
  return n
}

export async function runExtract(
  opts: Record<string, string | boolean | undefined>,
): Promise<string> {
  const task = loadTask(opts.task as string | undefined)
  if (typeof opts.in !== 'string')
    throw new CliError('missing --in', 'a report file or a folder of reports')
  if (typeof opts.out !== 'string')
    throw new CliError('missing --out', 'a folder for the result files')
  if (
    opts.format !== undefined &&
    (!isExportFormat(opts.format) || opts.format === 'redcap-dictionary')
  )
    throw new CliError(
      `--format: expected fhir, fhir-transaction, redcap or parquet, got '${String(opts.format)}'`,
    )
  const backendName = opts.backend ?? 'encoder'
  if (backendName !== 'encoder' && backendName !== 'embedded' && backendName !== 'server') {
    throw new CliError(
      `--backend: expected encoder, embedded or server, got '${String(backendName)}'`,
    )
  }
  if (backendName === 'encoder') {
    if (opts.model === undefined) opts.model = referenceModelsDir
    if (typeof opts.model !== 'string' || encoderDirs(opts.model).length === 0)
      throw new CliError(
        `--model ${String(opts.model)}: not an encoder model folder`,
        'a folder with encoder.json, encoder.onnx and heads.onnx (models/encoder/export.py writes one), or a folder of such folders',
      )
  } else if (backendName === 'embedded') {
    if (typeof opts.model !== 'string' || !existsSync(opts.model))
      throw new CliError(`--model ${String(opts.model)}: no such model file`, 'a GGUF file')
    if (!isGguf(opts.model))
      throw new CliError(
        `--model ${opts.model}: not a GGUF file (it does not start with the GGUF magic bytes)`,
        'the embedded backend runs llama.cpp models (.gguf); an encoder folder needs --backend encoder',
      )
  } else if (typeof opts['server-url'] !== 'string') {
    throw new CliError(
      'missing --server-url',
      'the OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000',
    )
  }
  const dialect = opts.dialect ?? 'vllm'
  if (dialect !== 'vllm' && dialect !== 'llama.cpp') {
    throw new CliError(`--dialect: expected vllm or llama.cpp, got '${String(dialect)}'`)
  }
  const decoding = opts.decoding ?? defaultSampling.decoding
  if (decoding !== 'grounded' && decoding !== 'free')
    throw new CliError(`--decoding: expected grounded or free, got '${String(decoding)}'`)
  const sampling: SamplingSettings = {
    samples: int('samples', opts.samples, defaultSampling.samples, 0),
    temperature:
      opts.temperature === undefined ? defaultSampling.temperature : Number(opts.temperature),
    maxTokens: int('max-tokens', opts['max-tokens'], defaultSampling.maxTokens, 16),
    decoding,
  }
  if (!(sampling.temperature >= 0 && sampling.temperature <= 2))
    throw new CliError(`--temperature: expected 0 to 2, got '${String(opts.temperature)}'`)

  const { reports, problems } = readReports(opts.in)
  if (problems.length)
    throw new CliError(
      `${problems.length} input problem(s), nothing extracted:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
  if (reports.length === 0)
    throw new CliError(`${opts.in}: no reports (.txt, .ndjson, .jsonl or .json)`)

  const threads = int('threads', opts.threads, 1, 1)
  const batchSize = int('batch', opts.batch, 8, 1)
  const backend = await openBackend(
    backendName === 'encoder'
      ? { backend: 'encoder', modelDir: opts.model as string, threads }
      : backendName === 'server'
        ? {
            backend: 'server',
            baseUrl: opts['server-url'] as string,
            dialect,
            ...(typeof opts.model === 'string' ? { model: opts.model } : {}),
          }
        : {
            backend: 'embedded',
            modelPath: opts.model as string,
            sequences: Math.min(sampling.samples + 1, 4),
            threads,
          },
  )
  if (backend.kind === 'encoder' && !backend.tasks.includes(task.id)) {
    await backend.close()
    throw new CliError(
      `no model serves task ${task.id}: the encoder ${backend.info.name} serves ${backend.tasks.join(', ')}`,
      'name a model for this task with --model, or a generative one with --backend embedded|server',
    )
  }
  const sink = new FileSink(opts.out)
  const bars = progressGroup()
  const bar = bars.create('extract', reports.length)
  let flagged = 0
  let tokens = 0
  let modelMs = 0
  const start = performance.now()
  try {
    // an encoder reads a few short reports per session call; a generative model one at a time
    const chunks =
      backend.kind === 'encoder'
        ? chunkByText(reports, encoderBatchChars, batchSize)
        : reports.map((r) => [r])
    for (const chunk of chunks) {
      const jobs = chunk.map((r) => ({
        site: 'local',
        batch: 'cli',
        reportId: r.id,
        text: r.text,
        ...(r.sex ? { sex: r.sex } : {}),
      }))
      const results = await extractBatch(task, backend, jobs, sampling)
      for (const result of results) {
        await sink.put(`${result.reportId}.json`, `${JSON.stringify(result, null, 2)}\n`)
        flagged += result.flagged.length
        tokens +=
          backend.kind === 'encoder' ? result.timings.promptTokens : result.timings.generatedTokens
        modelMs += result.timings.modelMs
      }
      bar.increment(results.length, `${flagged} flagged`)
    }
  } finally {
    bars.stop()
    await backend.close()
  }
  const seconds = (performance.now() - start) / 1000
  let exported = ''
  if (opts.format !== undefined) {
    const path = join(sink.root, `export.${exportExtension(opts.format as ExportFormat)}`)
    const n = await writeExport(
      task,
      recordsFromFolder(task, sink.root),
      opts.format as ExportFormat,
      path,
    )
    exported = `; ${n} exported -> ${path}`
  }
  const what = backend.kind === 'encoder' ? 'tokens read' : 'generated tokens'
  return `${reports.length} report(s) -> ${sink.root}: ${flagged} field(s) flagged; ${(reports.length / seconds).toFixed(2)} reports/s, ${(tokens / (modelMs / 1000)).toFixed(0)} ${what}/s in the model (${backend.info.backend}), ${(100 * (1 - modelMs / 1000 / seconds)).toFixed(1)} % of wall time outside it${exported}`
}
