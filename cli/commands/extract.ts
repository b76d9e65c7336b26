/** `radstruct extract`: the worker's pipeline over local files, one result JSON per report. */
import { existsSync } from 'node:fs'
import { SingleBar } from 'cli-progress'
import { openBackend } from '../../inference-gpu/backends/index.ts'
import { referenceStudentPath } from '../../inference-gpu/backends/reference-student.ts'
import {
  defaultSampling,
  extractReport,
  type SamplingSettings,
} from '../../inference-gpu/pipeline.ts'
import { FileSink } from '../../inference-gpu/sinks/file.ts'
import { CliError } from '../errors.ts'
import { loadTask, readReports } from '../io.ts'

export const extractUsage = `radstruct extract --task TASK --in DIR|FILE --out DIR [--backend embedded|server] [--model FILE.gguf (default: the reference student) | --server-url URL [--dialect vllm|llama.cpp]] [--samples K] [--temperature T] [--decoding grounded|free] [--max-tokens N] [--threads N]

Runs the extraction pipeline over local reports with no queue or cloud: .txt files (one report
each, named by file), .ndjson/.jsonl (one {"id", "text"} per line) and .json files (one report or
an array; a NNN.json beside NNN.txt is that report's label and is skipped). Grounded decoding
(the default) lets a number field take only a value the report states, or null. Writes OUT/<report id>.json per report (the result the worker stores), ready for
radstruct eval, with a progress bar on stderr.`

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
  const backendName = opts.backend ?? 'embedded'
  if (backendName !== 'embedded' && backendName !== 'server') {
    throw new CliError(`--backend: expected embedded or server, got '${String(backendName)}'`)
  }
  if (backendName === 'embedded') {
    if (opts.model === undefined) opts.model = referenceStudentPath
    if (typeof opts.model !== 'string' || !existsSync(opts.model))
      throw new CliError(`--model ${String(opts.model)}: no such model file`, 'a GGUF file')
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

  const backend = await openBackend(
    backendName === 'server'
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
          threads: int('threads', opts.threads, 1, 1),
        },
  )
  const sink = new FileSink(opts.out)
  const bar = new SingleBar({
    format: 'extract [{bar}] {value}/{total} reports | {flagged} flagged | {eta_formatted} left',
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: false,
    notTTYSchedule: 5000,
  })
  bar.start(reports.length, 0, { flagged: 0 })
  let flagged = 0
  let tokens = 0
  let modelMs = 0
  const start = performance.now()
  try {
    for (const r of reports) {
      const result = await extractReport(
        task,
        backend,
        {
          site: 'local',
          batch: 'cli',
          reportId: r.id,
          text: r.text,
          ...(r.sex ? { sex: r.sex } : {}),
        },
        sampling,
      )
      await sink.put(`${r.id}.json`, `${JSON.stringify(result, null, 2)}\n`)
      flagged += result.flagged.length
      tokens += result.timings.generatedTokens
      modelMs += result.timings.modelMs
      bar.increment(1, { flagged })
    }
  } finally {
    bar.stop()
    await backend.close()
  }
  const seconds = (performance.now() - start) / 1000
  return `${reports.length} report(s) -> ${sink.root}: ${flagged} field(s) flagged; ${(reports.length / seconds).toFixed(2)} reports/s, ${(tokens / (modelMs / 1000)).toFixed(0)} generated tokens/s in the model (${backend.info.backend}), ${(100 * (1 - modelMs / 1000 / seconds)).toFixed(1)} % of wall time outside it`
}
