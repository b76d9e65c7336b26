/** The edge API's Hono app. Routes stay thin: parse, call the shared core, answer. */
import { Hono } from 'hono'
import { builtinTask, builtinTaskIds, recordJsonSchema } from '../schemas/index.ts'

export function createApp() {
  const app = new Hono()

  app.get('/healthz', (c) => c.json({ ok: true }))

  app.get('/v1/tasks', (c) =>
    c.json({
      tasks: builtinTaskIds.map((id) => {
        const t = builtinTask(id)
        return {
          id,
          version: t?.version,
          title: t?.title,
          fields: t?.fields.length,
          triageThreshold: t?.triageThreshold,
        }
      }),
    }),
  )

  app.get('/v1/tasks/:id/schema', (c) => {
    const task = builtinTask(c.req.param('id'))
    if (!task) {
      return c.json(
        {
          type: 'https://radstruct.dev/problems/unknown-task',
          title: 'Unknown task',
          status: 404,
          detail: `no task '${c.req.param('id')}'; tasks: ${builtinTaskIds.join(', ')}`,
        },
        404,
        { 'content-type': 'application/problem+json' },
      )
    }
    return c.json(recordJsonSchema(task))
  })

  return app
}
