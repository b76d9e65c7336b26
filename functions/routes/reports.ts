/** GET /v1/reports/:id: one report's status and, when done, its result. */
import { Hono } from 'hono'
import { resultViewSchema } from '../../core/contracts.ts'
import { siteAuth } from '../auth.ts'
import { type AppEnv, settings } from '../env.ts'
import { notFound } from '../problem.ts'
import { reportView } from '../results.ts'
import { doc } from '../route-doc.ts'
import { reportRow } from '../store/batches.ts'

export const reports = new Hono<AppEnv>()
reports.use('*', siteAuth)

reports.get(
  '/:id',
  doc({
    summary: 'One report: status and result.',
    auth: 'site',
    ok: 200,
    response: resultViewSchema,
    errors: [401, 404],
  }),
  async (c) => {
    const row = await reportRow(c.env.DB, c.get('siteId'), c.req.param('id'))
    if (!row) throw notFound('report')
    return c.json(await reportView(settings(c.env), c.env.DB, row))
  },
)
