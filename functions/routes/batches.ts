/** POST /v1/batches, GET /v1/batches/:id, GET /v1/batches/:id/results. */

import { Hono } from 'hono'
import { z } from 'zod'
import {
  type BatchAccepted,
  batchAcceptedSchema,
  batchListSchema,
  batchSummarySchema,
} from '../../core/api.ts'
import { reportInputSchema } from '../../core/reports/split.ts'
import { builtinTask } from '../../schemas/index.ts'
import { siteAuth } from '../auth.ts'
import { type AppEnv, settings } from '../env.ts'
import { streamFormats, streamViews } from '../export-stream.ts'
import { idempotent } from '../idempotency.ts'
import { acceptBatch } from '../intake/accept.ts'
import { readBatchBody } from '../intake/body.ts'
import { ApiError, notFound } from '../problem.ts'
import { reportView } from '../results.ts'
import { doc, json } from '../route-doc.ts'
import { batchReports, batchSummary, listBatches } from '../store/batches.ts'
import { deidPolicy } from '../store/sites.ts'

export const pageQuery = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  format: z.enum(['json', ...streamFormats]).default('json'),
})

export function parseQuery<T extends z.ZodType>(
  schema: T,
  query: Record<string, string>,
): z.infer<T> {
  const parsed = schema.safeParse(query)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new ApiError(400, 'bad-query', `${issue?.path.join('.')}: ${issue?.message}`, {
    field: String(issue?.path[0] ?? ''),
  })
}

/** A JSON batch as documented; intake/body.ts reads it a report at a time, so it is no zod parse. */
export const batchJson = z.object({ task: z.string(), reports: z.array(reportInputSchema) })

export const batches = new Hono<AppEnv>()
batches.use('*', siteAuth)

batches.post(
  '/',
  doc({
    summary: 'Upload a batch of reports (JSON, or NDJSON with ?task=). Idempotency-Key supported.',
    auth: 'site',
    body: {
      'application/json': json(batchJson),
      'application/x-ndjson': {
        description: 'one report object per line',
        ...json(reportInputSchema),
      },
    },
    query: [{ name: 'task', description: 'task id (NDJSON)' }],
    ok: 202,
    response: batchAcceptedSchema,
    errors: [400, 401, 409, 413, 415, 422],
  }),
  (c) =>
    idempotent(c, async (fp) => {
      const s = settings(c.env)
      const body = await readBatchBody(c.req.raw, fp, s)
      const accepted = await acceptBatch(c.env, body.items, {
        siteId: c.get('siteId'),
        task: body.task,
        deidPolicy: await deidPolicy(c.env.DB, c.get('siteId')),
        maxReports: s.MAX_REPORTS_PER_BATCH,
      })
      return {
        status: 202,
        body: {
          batch: accepted.batchId,
          task: body.task.id,
          accepted: accepted.accepted,
          duplicates: accepted.duplicates,
          redacted: accepted.redacted,
          rejected: accepted.rejected,
          rejections: accepted.rejections,
          status: `/v1/batches/${accepted.batchId}`,
          results: `/v1/batches/${accepted.batchId}/results`,
        } satisfies BatchAccepted,
      }
    }),
)

batches.get(
  '/',
  doc({
    summary: "The site's batches, newest first (uploads, extractions, drop-folder files).",
    auth: 'site',
    query: [
      { name: 'limit', description: '1 to 200 (50)' },
      { name: 'task', description: 'only this task' },
      { name: 'state', description: 'open | complete' },
      { name: 'since', description: 'created at or after (ISO date or time)' },
    ],
    ok: 200,
    response: batchListSchema,
    errors: [400, 401],
  }),
  async (c) => {
    const q = parseQuery(
      z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        task: z.string().max(64).optional(),
        state: z.enum(['complete', 'open']).optional(),
        since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
      }),
      c.req.query(),
    )
    return c.json({ batches: await listBatches(c.env.DB, c.get('siteId'), q) })
  },
)

batches.get(
  '/:id',
  doc({
    summary: 'Batch status: queued, done, flagged, failed (with reasons), rejections.',
    auth: 'site',
    ok: 200,
    response: batchSummarySchema,
    errors: [401, 404],
  }),
  async (c) => {
    const summary = await batchSummary(c.env.DB, c.get('siteId'), c.req.param('id'))
    if (!summary) throw notFound('batch')
    return c.json(summary)
  },
)

batches.get(
  '/:id/results',
  doc({
    summary:
      'Results, paged JSON or the whole batch as NDJSON, CSV, a FHIR R4 Bundle or a REDCap import CSV.',
    auth: 'site',
    query: [
      { name: 'format', description: 'json | ndjson | csv | fhir | fhir-transaction | redcap' },
      { name: 'cursor', description: 'position after which to start' },
      { name: 'limit', description: '1-100 (json)' },
    ],
    ok: 200,
    errors: [400, 401, 404],
  }),
  async (c) => {
    const q = parseQuery(pageQuery, c.req.query())
    const summary = await batchSummary(c.env.DB, c.get('siteId'), c.req.param('id'))
    if (!summary) throw notFound('batch')
    const s = settings(c.env)
    const task = builtinTask(summary.task)
    if (q.format === 'json') {
      const rows = await batchReports(c.env.DB, summary.id, q.cursor, q.limit)
      const results = await Promise.all(rows.map((r) => reportView(s, c.env.DB, r)))
      const last = rows.at(-1)
      return c.json({
        batch: summary.id,
        results,
        next:
          rows.length === q.limit && last
            ? `/v1/batches/${summary.id}/results?cursor=${last.position}&limit=${q.limit}`
            : null,
      })
    }
    // the whole batch, streamed page by page
    if (!task) throw notFound('task')
    const db = c.env.DB
    let cursor = q.cursor
    let done = false
    return streamViews(task, q.format, summary.id, async () => {
      if (done) return []
      const rows = await batchReports(db, summary.id, cursor, 50)
      const last = rows.at(-1)
      if (rows.length < 50 || !last) done = true
      else cursor = last.position
      return Promise.all(rows.map((r) => reportView(s, db, r)))
    })
  },
)
