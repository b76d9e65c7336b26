/** GET /v1/results: a site's whole history of one task, filtered by date, streamed in any export
 * format (NDJSON, CSV, FHIR R4, REDCap), page by page. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { ResultView } from '../../core/contracts.ts'
import { builtinTask, unknownTask } from '../../schemas/index.ts'
import { siteAuth } from '../auth.ts'
import { type AppEnv, settings } from '../env.ts'
import { streamFormats, streamViews } from '../export-stream.ts'
import { ApiError } from '../problem.ts'
import { reportView } from '../results.ts'
import { doc } from '../route-doc.ts'
import { siteReports } from '../store/batches.ts'
import { parseQuery } from './batches.ts'

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'a date, YYYY-MM-DD or an ISO time in UTC')

export const resultsQuery = z
  .object({
    task: z.string().min(1),
    since: day.default('1970-01-01'),
    until: day.default('9999-12-31'),
    format: z.enum(streamFormats).default('ndjson'),
  })
  .strict()

export const results = new Hono<AppEnv>()
results.use('*', siteAuth)

results.get(
  '/',
  doc({
    summary:
      "A site's results of one task across batches, by creation date, streamed as NDJSON, CSV, a FHIR R4 Bundle or a REDCap import CSV.",
    auth: 'site',
    query: [
      { name: 'task', description: 'the task (required)' },
      { name: 'since', description: 'YYYY-MM-DD, inclusive (default: all)' },
      { name: 'until', description: 'YYYY-MM-DD, exclusive (default: all)' },
      { name: 'format', description: 'ndjson | csv | fhir | fhir-transaction | redcap' },
    ],
    ok: 200,
    errors: [400, 401, 422],
  }),
  async (c) => {
    const q = parseQuery(resultsQuery, c.req.query())
    const task = builtinTask(q.task)
    if (!task)
      throw new ApiError(422, 'unknown-task', `task: ${unknownTask(q.task)}`, {
        field: 'task',
      })
    const s = settings(c.env)
    const db = c.env.DB
    const siteId = c.get('siteId')
    let after: { at: string; id: string } | undefined
    let done = false
    const nextPage = async (): Promise<ResultView[]> => {
      if (done) return []
      const rows = await siteReports(
        db,
        { siteId, task: task.id, since: q.since, until: q.until, ...(after ? { after } : {}) },
        50,
      )
      const last = rows.at(-1)
      if (rows.length < 50 || !last) done = true
      else after = { at: last.created_at, id: last.id }
      return Promise.all(rows.map((r) => reportView(s, db, r)))
    }
    const name = `${siteId}-${task.id}-${q.since}-${q.until}`.replace(/[^A-Za-z0-9._-]/g, '_')
    return streamViews(task, q.format, name, nextPage)
  },
)
