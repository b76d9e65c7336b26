/** The edge API's Hono app. Routes stay thin: parse, call a service or the shared core, answer. */
import { type ErrorHandler, Hono, type NotFoundHandler } from 'hono'
import type { AppEnv } from './env.ts'
import { documentedRoutes, openApiDocument, referencePage } from './openapi.ts'
import { ApiError, problemResponse } from './problem.ts'
import { reviewPage } from './review/page.ts'
import { doc } from './route-doc.ts'
import { admin } from './routes/admin.ts'
import { batches } from './routes/batches.ts'
import { checks } from './routes/checks.ts'
import { events } from './routes/events.ts'
import { extract } from './routes/extract.ts'
import { reports } from './routes/reports.ts'
import { results } from './routes/results.ts'
import { review } from './routes/review.ts'
import { tasks } from './routes/tasks.ts'
import { webhooks } from './routes/webhooks.ts'

/** An ApiError as its problem; anything else as a 500 that names what failed, never report
 * content (no route puts text in an error). */
const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ApiError)
    return problemResponse(
      err.problem,
      err.problem.status === 401 ? { 'www-authenticate': 'Bearer realm="radstruct"' } : {},
    )
  console.error(
    JSON.stringify({ level: 'error', path: new URL(c.req.url).pathname, error: err.message }),
  )
  return problemResponse(
    new ApiError(
      500,
      'internal',
      'the request failed on our side; nothing was created; retry later',
    ).problem,
  )
}

const notFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(
    new ApiError(
      404,
      'not-found',
      `no route ${c.req.method} ${new URL(c.req.url).pathname}; see /openapi.json`,
    ).problem,
  )

export function createApp() {
  const app = new Hono<AppEnv>()

  app.onError(onError)
  app.notFound(notFound)

  app.get(
    '/healthz',
    doc({
      summary: 'Liveness.',
      auth: 'none',
      ok: 200,
      errors: [],
    }),
    (c) => c.json({ ok: true }),
  )
  app.get(
    '/openapi.json',
    doc({
      summary: 'This document.',
      auth: 'none',
      ok: 200,
      errors: [],
    }),
    (c) => c.json(openApiDocument(documentedRoutes(app.routes))),
  )
  app.get(
    '/docs',
    doc({
      summary: 'The API reference page.',
      auth: 'none',
      ok: 200,
      errors: [],
    }),
    (c) => c.html(referencePage(documentedRoutes(app.routes))),
  )

  app.route('/v1/tasks', tasks)
  app.route('/v1/batches', batches)
  app.route('/v1/reports', reports)
  app.route('/v1/results', results)
  app.route('/v1/checks', checks)
  app.route('/v1/extract', extract)
  app.route('/v1/webhooks', webhooks)
  app.route('/v1/events', events)
  app.route('/v1/review', review)
  app.get(
    '/review',
    doc({
      summary: 'The review page (sign in with a reviewer token).',
      auth: 'none',
      ok: 200,
      errors: [],
    }),
    (c) => c.html(reviewPage()),
  )
  app.route('/admin', admin)
  return app
}
