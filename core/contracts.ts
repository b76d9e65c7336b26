/**
 * The wire contracts between radstruct's parts, one zod schema each: what the edge puts on the
 * SQS work queue, the signed events the worker sends the edge, the failure record and the result
 * the worker stores, and a reviewer's correction as the edge exports it and distill reads it.
 * Each side imports the schema it writes or reads, so a change to a shape is a change here.
 */
import { z } from 'zod'
import { reportInputSchema } from './reports/split.ts'

/** An SQS work message: one report, keyed by the edge's own id (unique however the site names reports). */
export const reportMessageSchema = z
  .object({
    kind: z.literal('report'),
    task: z.string().min(1),
    site: z.string().min(1),
    batch: z.string().min(1),
    report: reportInputSchema,
  })
  .strict()
export type ReportMessage = z.infer<typeof reportMessageSchema>

const resultKey = z.string().min(1).max(600)

/** Events the worker signs and posts to the edge's /v1/events. */
export const workerEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result.stored'),
    data: z.object({ key: resultKey, task: z.string(), flagged: z.number().int().min(0) }),
  }),
  z.object({
    type: z.literal('result.failed'),
    data: z.object({ key: resultKey, reason: z.string() }),
  }),
  z.object({
    type: z.literal('batch.dropped'),
    data: z.object({
      site: z.string().min(1),
      batch: z.string().min(1).max(300),
      task: z.string().min(1),
      file: z.string().min(1),
      reports: z.array(z.object({ id: z.string(), key: resultKey })).max(100_000),
      refused: z
        .array(z.object({ id: z.string(), key: resultKey, reason: z.string() }))
        .max(100_000),
      errors: z.array(z.string()).max(10_000),
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

/** The parts of a stored result (core/result.ts ScoredResult) that other parts read. */
export const storedResultSchema = z
  .object({
    task: z.string(),
    values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
    confidence: z.record(z.string(), z.number()),
    flagged: z.array(z.string()),
  })
  .passthrough()
export type StoredResult = z.infer<typeof storedResultSchema>

/** A stored result read from its JSON text; throws a named error if it is not one. */
export function parseStoredResult(text: string): StoredResult {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error('stored result: not JSON')
  }
  const r = storedResultSchema.safeParse(data)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new Error(`stored result: ${i?.path.join('.') || 'result'}: ${i?.message ?? 'invalid'}`)
  }
  return r.data
}

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
