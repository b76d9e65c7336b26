/**
 * One report through the model and the scorer: prompt, greedy output and K samples, parse and
 * validate each (a malformed output is recorded and counts against stability; it never throws),
 * score, and build the result object stored under a deterministic key.
 */

import { recordGrammar } from '../../schemas/grammar.ts'
import { type TaskRecord, validateRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import { STORED_RESULT_VERSION, type StoredResult } from '../contracts.ts'
import { decodeReport, type Rendering } from '../decode/index.ts'
import type {
  EncoderBackend,
  GenerationResult,
  GenerativeBackend,
  ModelBackend,
} from '../ports/model-backend.ts'
import { studentPrompt } from '../prompt.ts'
import type { SamplingSettings } from '../run-settings.ts'
import { scoreRecord } from '../scoring/index.ts'
import { settleByReading } from '../text/category-reading.ts'
import { type ScannedText, scanText } from '../text/scan.ts'
import { readableText } from '../text/sections.ts'
import type { Sex } from '../text/sex.ts'
import { statedValues } from '../text/stated-values.ts'
import { settleByMentions } from './settle-labels.ts'
import { settleByNames } from './settle-numbers.ts'

export interface ReportJob {
  site: string
  batch: string
  /** The edge's report id (core/report-ref.ts); a local run uses the file's. */
  reportId: string
  /** The site's own id for the report, when it is not reportId. */
  siteReportId?: string
  text: string
  sex?: Sex
}

/** A seed from the report's identity (FNV-1a), so that a rerun samples the same outputs. */
export function reportSeed(
  task: Task,
  job: Pick<ReportJob, 'site' | 'batch' | 'reportId'>,
): number {
  let h = 0x811c9dc5
  for (const ch of `${task.id}\u0000${job.site}\u0000${job.batch}\u0000${job.reportId}`) {
    h ^= ch.codePointAt(0) as number
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h & 0x7fffffff
}

type Parsed = { ok: true; record: TaskRecord } | { ok: false; reason: string }

export function parseOutput(task: Task, text: string): Parsed {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'not valid JSON' }
  }
  const check = validateRecord(task, data, { partial: true })
  if (check.ok) return { ok: true, record: check.record }
  return {
    ok: false,
    reason: `not a ${task.id} record: ${check.issues.map((i) => i.field || '(record)').join(', ')}`,
  }
}

/** One report through any backend. */
export async function extractReport(
  task: Task,
  backend: ModelBackend,
  job: ReportJob,
  sampling: SamplingSettings,
): Promise<StoredResult> {
  if (backend.kind === 'encoder')
    return (await extractBatch(task, backend, [job], sampling))[0] as StoredResult
  return generateReport(task, backend, job, sampling)
}

/**
 * The reports of one batch (a queue receive, a CLI chunk): an encoder reads them in one session
 * call; a generative backend takes them one by one (its own sequences batch the decoding).
 */
export async function extractBatch(
  task: Task,
  backend: ModelBackend,
  jobs: readonly ReportJob[],
  sampling: SamplingSettings,
): Promise<StoredResult[]> {
  if (backend.kind === 'generative')
    return Promise.all(jobs.map((j) => generateReport(task, backend, j, sampling)))
  return readReports(task, backend, jobs, sampling)
}

async function readReports(
  task: Task,
  backend: EncoderBackend,
  jobs: readonly ReportJob[],
  sampling: SamplingSettings,
): Promise<StoredResult[]> {
  if (jobs.length === 0) return []
  const start = performance.now()
  // decoded once (HL7, HTML, ...): every reader below reads the rendering
  const renderings = jobs.map((j) => decodeReport(j.text))
  const scans = renderings.map((r) => scanText(task, readableText(r.text, task.input.sections)))
  const seeds = jobs.map((j) => reportSeed(task, j))
  const scanMs = (performance.now() - start) / jobs.length
  const readings = await backend.read({ task, reports: scans, passes: sampling.samples, seeds })
  return jobs.map((job, i) => {
    const reading = readings[i] as (typeof readings)[number]
    const rendering = renderings[i] as Rendering
    // the scan is the report's one reading: mentions and category readings are kept with it
    settleByReading(task, scans[i] ?? rendering.text, reading)
    settleByMentions(task, scans[i] ?? rendering.text, reading)
    if (scans[i]) settleByNames(task, scans[i] as ScannedText, reading)
    const scoringStart = performance.now()
    const scored = scoreRecord(task, {
      values: reading.values,
      text: rendering.text,
      rendering,
      scanned: scans[i],
      samples: reading.samples,
      probability: reading.probability,
      evidence: reading.evidence,
      ...(job.sex ? { sex: job.sex } : {}),
    })
    const scoringMs = performance.now() - scoringStart
    return {
      ...scored,
      version: STORED_RESULT_VERSION,
      site: job.site,
      batch: job.batch,
      reportId: job.reportId,
      siteReportId: job.siteReportId ?? job.reportId,
      model: reading.model ?? backend.info,
      sampling: { ...sampling, temperature: 0, seed: seeds[i] as number, prompt: 'none' },
      sampled: Object.fromEntries(
        scored.flagged.map((k) => [k, reading.samples.map((r) => r[k] ?? null)]),
      ),
      outputs: { chosen: 'deterministic', malformed: [] },
      timings: {
        modelMs: reading.modelMs,
        scoringMs,
        // this report's own work: its scan, its share of the model's time, its scoring (not the
        // time it waited for batch-mates in a coalesced call)
        totalMs: scanMs + reading.modelMs + scoringMs,
        promptTokens: reading.tokens,
        generatedTokens: 0,
      },
    }
  })
}

async function generateReport(
  task: Task,
  backend: GenerativeBackend,
  job: ReportJob,
  sampling: SamplingSettings,
): Promise<StoredResult> {
  const start = performance.now()
  const seed = reportSeed(task, job)
  // both backends read the same text: the decoded rendering
  const rendering = decodeReport(job.text)
  const scanned = scanText(task, rendering.text)
  const generation: GenerationResult = await backend.generate({
    task,
    prompt: studentPrompt(task, rendering.text),
    ...(sampling.decoding === 'grounded'
      ? { grammar: recordGrammar(task, statedValues(task, scanned)) }
      : {}),
    samples: sampling.samples,
    temperature: sampling.temperature,
    seed,
    maxTokens: sampling.maxTokens,
  })
  const scoringStart = performance.now()
  const outputs = [generation.greedy, ...generation.samples].map((g, i) => ({
    name: i === 0 ? 'greedy' : `sample-${i}`,
    parsed: parseOutput(task, g.text),
  }))
  const malformed = outputs.flatMap((o) =>
    o.parsed.ok ? [] : [{ output: o.name, reason: o.parsed.reason }],
  )
  // the greedy output is the answer; if it is malformed, the first sample that parsed stands in
  const chosen = outputs.find((o) => o.parsed.ok)
  const values = chosen?.parsed.ok ? chosen.parsed.record : {}
  const samples = outputs.slice(1).map((o) => (o.parsed.ok ? o.parsed.record : null))
  const scored = scoreRecord(task, {
    values,
    text: rendering.text,
    rendering,
    scanned,
    samples,
    ...(job.sex ? { sex: job.sex } : {}),
  })
  const end = performance.now()
  return {
    ...scored,
    version: STORED_RESULT_VERSION,
    site: job.site,
    batch: job.batch,
    reportId: job.reportId,
    siteReportId: job.siteReportId ?? job.reportId,
    model: backend.info,
    sampling: { ...sampling, seed, prompt: 'compact' },
    sampled: Object.fromEntries(scored.flagged.map((k) => [k, samples.map((r) => r?.[k] ?? null)])),
    outputs: {
      chosen: chosen?.name ?? 'none',
      malformed,
      ...(generation.greedy.meanLogprob !== undefined
        ? {
            meanLogprob: [generation.greedy, ...generation.samples].map(
              (g) => g.meanLogprob ?? Number.NaN,
            ),
          }
        : {}),
    },
    timings: {
      modelMs: generation.modelMs,
      scoringMs: end - scoringStart,
      totalMs: end - start,
      promptTokens: generation.promptTokens,
      generatedTokens: [generation.greedy, ...generation.samples].reduce((s, g) => s + g.tokens, 0),
    },
  }
}
