/**
 * The wire contracts between radstruct's parts, one zod schema each: what the edge puts on the
 * SQS work queue, the signed events the worker sends the edge, the failure record and the result
 * the worker stores, and a reviewer's correction as the edge exports it and distill reads it.
 * Each side imports the schema it writes or reads, so a change to a shape is a change here.
 */
import { z } from 'zod'
import type { ModelInfo } from './ports/model-backend.ts'
import { reportRefSchema } from './report-ref.ts'
import { reportInputSchema } from './reports/split.ts'
import type { ScoredResult } from './result.ts'
import type { SamplingSettings } from './run-settings.ts'
import { coverageCodes } from './scoring/coverage.ts'

/** An SQS work message: one report with its reference (core/report-ref.ts); the report keeps
 * the site's own id, the result is keyed by the edge's. */
export const reportMessageSchema = z
  .object({
    kind: z.literal('report'),
    task: z.string().min(1),
    ref: reportRefSchema,
    report: reportInputSchema,
  })
  .strict()
export type ReportMessage = z.infer<typeof reportMessageSchema>

const resultKey = z.string().min(1).max(600)

/** Events the worker signs and posts to the edge's /v1/events. */
export const workerEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result.stored'),
    // the edge reads the flagged fields from the stored object itself (older workers also sent
    // a count: ignored)
    data: z.object({ key: resultKey, task: z.string() }),
  }),
  z.object({
    type: z.literal('result.failed'),
    data: z.object({ key: resultKey, reason: z.string() }),
  }),
  // a file put in the drop folder: the edge reads it from the bucket and takes it in as an upload
  z.object({
    type: z.literal('batch.dropped'),
    data: z.object({
      site: z.string().min(1),
      task: z.string().min(1),
      bucket: z.string().min(1),
      key: z.string().min(1).max(1024),
      /** The batch's name: the file's path under the site, or a digest where it holds an identifier. */
      name: z.string().min(1).max(300),
    }),
  }),
])
export type WorkerEvent = z.infer<typeof workerEventSchema>

/** What the worker stores under failures/<key> each time a report fails; `final` once it gives up. */
export const failureRecordSchema = z.object({
  key: z.string(),
  reason: z.string(),
  attempt: z.number().int(),
  messageId: z.string(),
  at: z.string(),
  final: z.boolean().default(false),
})
export type FailureRecord = z.infer<typeof failureRecordSchema>

/** The version the worker stamps on each result it stores; readers upgrade older ones.
 * 2: `report.coverage` (what the reading did not read, with reasons; null in older results). */
export const STORED_RESULT_VERSION = 2

/**
 * A stored result: what the worker writes under the result key and `radstruct extract` writes
 * per report, the scored result with where it came from (report, model, sampling) and what the
 * review page shows (samples, outputs). Version 0 (no `version`) is the same shape unstamped.
 */
export interface StoredResult extends ScoredResult {
  version: typeof STORED_RESULT_VERSION
  site: string
  batch: string
  /** The edge's report id (a local run: the file's). */
  reportId: string
  /** The site's own id for the report (absent in version 0). */
  siteReportId?: string
  model: ModelInfo
  /** prompt: 'compact' for a generative student; 'none' for an encoder, whose samples are K
   * stochastic passes (MC dropout) and whose temperature does not apply. */
  sampling: SamplingSettings & { seed: number; prompt: 'compact' | 'none' }
  /** What each of the K samples said for the flagged fields (null: absent or malformed), for review. */
  sampled: Record<string, unknown[]>
  outputs: {
    /** Which output the values come from: the greedy one unless it was malformed. */
    chosen: string
    /** Outputs that did not parse into a record, and why (no content: it may echo the report). */
    malformed: { output: string; reason: string }[]
    /** Mean token log-probability of each output, when the backend reports it (greedy first). */
    meanLogprob?: number[]
  }
  timings: {
    modelMs: number
    scoringMs: number
    totalMs: number
    promptTokens: number
    generatedTokens: number
  }
}

const fieldValue = z.union([z.number(), z.string(), z.null()])

/** What the reading did not read (core/scoring/coverage.ts), as stored and sent. */
export const reportCoverageSchema = z
  .object({
    confidence: z.number().min(0).max(1),
    whole: z.boolean(),
    reasons: z.array(
      z.object({ code: z.enum(coverageCodes), detail: z.string(), doubt: z.number() }).strict(),
    ),
    language: z.string().nullable(),
    numbers: z.object({ used: z.number(), notRead: z.number(), unexplained: z.number() }),
    knownWords: z.number(),
  })
  .strict()
const span = z.object({ start: z.number().int(), end: z.number().int() })

/** What a reader of a stored result relies on; the rest passes through unchecked. */
export const storedResultSchema = z
  .object({
    version: z.number().int().min(0).default(0),
    task: z.string().min(1),
    site: z.string(),
    batch: z.string(),
    reportId: z.string(),
    siteReportId: z.string().optional(),
    values: z.record(z.string(), fieldValue),
    confidence: z.record(z.string(), z.number()),
    evidence: z.record(z.string(), span.nullable()).default({}),
    sampled: z.record(z.string(), z.array(z.unknown())).default({}),
    flagged: z.array(z.string()),
    model: z.object({ backend: z.string(), name: z.string(), digest: z.string() }).optional(),
    report: z
      .object({ coverage: reportCoverageSchema.nullable().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough()

/** A stored result read from its JSON text, an older version upgraded; throws a named error if
 * it is not one, or was written by a newer radstruct. The one parse of a stored result. */
export function readStoredResult(text: string): StoredResult {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error('stored result: not JSON')
  }
  return storedResult(data)
}

/** The same, from data already parsed. */
export function storedResult(data: unknown): StoredResult {
  const r = storedResultSchema.safeParse(data)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new Error(`stored result: ${i?.path.join('.') || 'result'}: ${i?.message ?? 'invalid'}`)
  }
  if (r.data.version > STORED_RESULT_VERSION)
    throw new Error(
      `stored result: version ${r.data.version} is newer than this radstruct reads (${STORED_RESULT_VERSION}): upgrade it`,
    )
  // version 0 differs from 1 only by the stamp; 1 from 2 by report.coverage, which an older
  // result has not assessed (null: unknown, never "covered")
  const stored = r.data as unknown as StoredResult
  const report = stored.report
  return {
    ...stored,
    ...(report ? { report: { ...report, coverage: report.coverage ?? null } } : {}),
    version: STORED_RESULT_VERSION,
  }
}

/** Where a report stands, as the edge records it. */
export type ReportStatus = 'queued' | 'done' | 'failed'

/**
 * A report as a site reads it (GET /v1/reports/:id, a batch's results, webhooks, exports): the
 * edge's reference and the site's own id, its status, and once done the stored result (without
 * its routing fields) with each field's final value.
 */
export interface ResultView {
  /** The edge's report id. */
  report: string
  /** The site's own report id. */
  id: string
  batch: string
  status: ReportStatus
  flagged?: number
  failure?: string
  redacted?: string[]
  result?: Omit<StoredResult, 'site' | 'batch' | 'reportId' | 'siteReportId'>
  /** Each field's final value and where it came from: the model, or a reviewer's decision. */
  final?: Record<string, FinalValue>
}

/** The view from what the edge knows of a report, its stored result and the reviewers' decisions. */
export function resultView(
  head: Omit<ResultView, 'result' | 'final'>,
  stored?: StoredResult,
  decisions: readonly Decision[] = [],
): ResultView {
  if (!stored || head.status !== 'done') return head
  const { site: _s, batch: _b, reportId: _r, siteReportId: _i, ...result } = stored
  return { ...head, result, final: finalValues(result.values, decisions) }
}

/** A local result file (`radstruct extract`) as a view: done, no decisions. */
export function viewOfStored(stored: StoredResult): ResultView {
  return resultView(
    {
      report: stored.reportId,
      id: stored.siteReportId ?? stored.reportId,
      batch: stored.batch,
      status: 'done',
    },
    stored,
  )
}

/** A view as the API sent it (a line of a batch's NDJSON results); its result is checked as a
 * stored result is. */
export function readResultView(data: unknown): ResultView {
  const r = resultViewSchema.safeParse(data)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new Error(`result view: ${i?.path.join('.') || 'view'}: ${i?.message ?? 'invalid'}`)
  }
  const v = r.data as unknown as ResultView
  if (!v.result) return v
  // its result is checked as a stored result is; the routing fields are the view's own
  const {
    site: _s,
    batch: _b,
    reportId: _r,
    siteReportId: _i,
    ...result
  } = storedResult({
    ...v.result,
    site: '',
    batch: v.batch,
    reportId: v.id,
  })
  return { ...v, result }
}

/** GET /v1/reports/{id}, and each line of a batch's NDJSON results. */
export const resultViewSchema = z
  .object({
    report: z.string(),
    id: z.string().min(1),
    batch: z.string(),
    status: z.enum(['queued', 'done', 'failed']),
    flagged: z.number().int().optional(),
    failure: z.string().optional(),
    redacted: z.array(z.string()).optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    final: z
      .record(
        z.string(),
        z.object({
          value: z.unknown(),
          source: z.enum(['model', 'reviewer']),
          reviewer: z.string().optional(),
          at: z.string().optional(),
        }),
      )
      .optional(),
  })
  .passthrough()

/** A reviewer's correction: the review export writes one per line, `distill review` reads them. */
export const correctionSchema = z
  .object({
    reportId: z.string().min(1),
    field: z.string().min(1),
    value: z.union([z.number(), z.string(), z.null()]),
    reviewer: z.string().optional(),
    reason: z.string().optional(),
  })
  .strict()
export type Correction = z.infer<typeof correctionSchema>

/** A reviewer's decision on one field of one report (append-only; the latest wins). */
export interface Decision {
  id: string
  field: string
  reviewer: string
  action: 'accept' | 'correct' | 'not_stated'
  oldValue: unknown
  newValue: unknown
  confidence: number | null
  reason: string | null
  at: string
}

/** A field's value after review: the model's, or the reviewer's who corrected it. */
export type FinalValue =
  | { value: unknown; source: 'model' }
  | { value: unknown; source: 'reviewer'; reviewer: string; at: string }

/** The final values: the model's values with each decision applied in order (an accept keeps
 * the model's value; a correction or "not stated" is the reviewer's). The one place this merge is
 * written. */
export function finalValues(
  values: Record<string, unknown>,
  decisions: readonly Decision[],
): Record<string, FinalValue> {
  const out: Record<string, FinalValue> = {}
  for (const [k, v] of Object.entries(values)) out[k] = { value: v, source: 'model' }
  for (const d of decisions)
    out[d.field] =
      d.action === 'accept'
        ? { value: d.newValue, source: 'model' }
        : { value: d.newValue, source: 'reviewer', reviewer: d.reviewer, at: d.at }
  return out
}
