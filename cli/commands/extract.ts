/** `radstruct extract`: the worker's pipeline over local files, one result JSON per report. */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { batchingEncoder, encoderBatchChars } from '../../adapters/backends/batching.ts'
import { encoderDirs } from '../../adapters/backends/encoder-set.ts'
import { backendConfig, openBackend } from '../../adapters/backends/index.ts'
import { referenceModelsDir } from '../../adapters/backends/reference-student.ts'
import { FileSink } from '../../adapters/sinks/file.ts'
import { extractBatch } from '../../core/extraction/pipeline.ts'
import type { ModelBackend } from '../../core/ports/model-backend.ts'
import type { ReportInput } from '../../core/reports/split.ts'
import {
  type RunSettings,
  readRunSettings,
  type SamplingSettings,
  samplingOf,
} from '../../core/run-settings.ts'
import type { Task } from '../../schemas/task.ts'
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

/** The run settings (core/run-settings.ts) by their flag names. */
const flagNames = {
  backend: '--backend',
  model: '--model',
  serverUrl: '--server-url',
  dialect: '--dialect',
  samples: '--samples',
  temperature: '--temperature',
  maxTokens: '--max-tokens',
  decoding: '--decoding',
  threads: '--threads',
  batch: '--batch',
} as const

/** The flags as run settings, and the model checked before anything loads. */
export function extractSettings(opts: Record<string, string | boolean | undefined>): RunSettings {
  const byFlag = Object.fromEntries(Object.entries(opts).map(([k, v]) => [`--${k}`, v]))
  const read = readRunSettings(byFlag, flagNames)
  if (!read.ok) throw new CliError(read.problems.join('; '))
  const s = read.settings
  if (s.backend === 'encoder' && encoderDirs(s.model ?? referenceModelsDir).length === 0)
    throw new CliError(
      `--model ${String(s.model)}: not an encoder model folder`,
      'a folder with encoder.json, encoder.onnx and heads.onnx (models/encoder/export.py writes one), or a folder of such folders',
    )
  if (s.backend === 'embedded') {
    const model = s.model as string
    if (!existsSync(model))
      throw new CliError(`--model ${model}: no such model file`, 'a GGUF file')
    if (!isGguf(model))
      throw new CliError(
        `--model ${model}: not a GGUF file (it does not start with the GGUF magic bytes)`,
        'the embedded backend runs llama.cpp models (.gguf); an encoder folder needs --backend encoder',
      )
  }
  return s
}

/** The export format asked for, if any. */
function exportFormatOf(format: unknown): ExportFormat | undefined {
  if (format === undefined) return undefined
  if (!isExportFormat(format) || format === 'redcap-dictionary')
    throw new CliError(
      `--format: expected fhir, fhir-transaction, redcap or parquet, got '${String(format)}'`,
    )
  return format
}

/** The backend the settings name, refused when it does not serve the task. */
async function openFor(task: Task, s: RunSettings): Promise<ModelBackend> {
  const opened = await openBackend(backendConfig(s))
  if (opened.kind === 'encoder' && !opened.tasks.includes(task.id)) {
    await opened.close()
    throw new CliError(
      `no model serves task ${task.id}: the encoder ${opened.info.name} serves ${opened.tasks.join(', ')}`,
      'name a model for this task with --model, or a generative one with --backend embedded|server',
    )
  }
  // an encoder reads a few short reports per session call, cut by the worker's own batcher
  return opened.kind === 'encoder'
    ? batchingEncoder(opened, { windowMs: 0, maxReports: s.batch, maxChars: encoderBatchChars })
    : opened
}

/** Tallies over a run, for the closing line. */
interface Tally {
  flagged: number
  /** Reports flagged as a whole (core/scoring/coverage.ts). */
  whole: number
  tokens: number
  modelMs: number
}

/** Every report through the backend, each result written as OUT/<report id>.json. */
async function extractAll(
  task: Task,
  backend: ModelBackend,
  reports: readonly ReportInput[],
  sampling: SamplingSettings,
  sink: FileSink,
): Promise<Tally> {
  const bars = progressGroup()
  const bar = bars.create('extract', reports.length)
  const tally: Tally = { flagged: 0, whole: 0, tokens: 0, modelMs: 0 }
  try {
    // a generative model takes one report at a time; the batcher cuts an encoder's window
    const window = backend.kind === 'encoder' ? 64 : 1
    for (let i = 0; i < reports.length; i += window) {
      const jobs = reports.slice(i, i + window).map((r) => ({
        site: 'local',
        batch: 'cli',
        reportId: r.id,
        text: r.text,
        ...(r.sex ? { sex: r.sex } : {}),
      }))
      const results = await extractBatch(task, backend, jobs, sampling)
      for (const result of results) {
        await sink.put(`${result.reportId}.json`, `${JSON.stringify(result, null, 2)}\n`)
        tally.flagged += result.flagged.length
        if (result.report.coverage?.whole) tally.whole++
        tally.tokens +=
          backend.kind === 'encoder' ? result.timings.promptTokens : result.timings.generatedTokens
        tally.modelMs += result.timings.modelMs
      }
      bar.increment(results.length, `${tally.flagged} flagged`)
    }
  } finally {
    bars.stop()
  }
  return tally
}

export async function runExtract(
  opts: Record<string, string | boolean | undefined>,
): Promise<string> {
  const task = loadTask(opts.task as string | undefined)
  if (typeof opts.in !== 'string')
    throw new CliError('missing --in', 'a report file or a folder of reports')
  if (typeof opts.out !== 'string')
    throw new CliError('missing --out', 'a folder for the result files')
  const format = exportFormatOf(opts.format)
  const settings = extractSettings(opts)
  const { reports, problems } = readReports(opts.in)
  if (problems.length)
    throw new CliError(
      `${problems.length} input problem(s), nothing extracted:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
  if (reports.length === 0)
    throw new CliError(`${opts.in}: no reports (.txt, .ndjson, .jsonl or .json)`)

  const backend = await openFor(task, settings)
  const sink = new FileSink(opts.out)
  const start = performance.now()
  let tally: Tally
  try {
    tally = await extractAll(task, backend, reports, samplingOf(settings), sink)
  } finally {
    await backend.close()
  }
  const seconds = (performance.now() - start) / 1000
  let exported = ''
  if (format !== undefined) {
    const path = join(sink.root, `export.${exportExtension(format)}`)
    const n = await writeExport(task, recordsFromFolder(task, sink.root), format, path)
    exported = `; ${n} exported -> ${path}`
  }
  const what = backend.kind === 'encoder' ? 'tokens read' : 'generated tokens'
  return `${reports.length} report(s) -> ${sink.root}: ${tally.flagged} field(s) flagged${tally.whole ? ` (${tally.whole} report(s) flagged as a whole: not read)` : ''}; ${(reports.length / seconds).toFixed(2)} reports/s, ${(tally.tokens / (tally.modelMs / 1000)).toFixed(0)} ${what}/s in the model (${backend.info.backend}), ${(100 * (1 - tally.modelMs / 1000 / seconds)).toFixed(1)} % of wall time outside it${exported}`
}
