/** GET /v1/tasks and GET /v1/tasks/:id/schema: what this deployment extracts (no auth). */
import { Hono } from 'hono'
import { builtinTask, builtinTaskIds, recordJsonSchema, unknownTask } from '../../schemas/index.ts'
import type { AppEnv } from '../env.ts'
import { ApiError } from '../problem.ts'
import { doc } from '../route-doc.ts'

export const tasks = new Hono<AppEnv>()

tasks.get(
  '/',
  doc({
    summary: 'The tasks this deployment extracts.',
    auth: 'none',
    ok: 200,
    errors: [],
  }),
  (c) =>
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

tasks.get(
  '/:id/schema',
  doc({
    summary: "JSON Schema of a task's record.",
    auth: 'none',
    ok: 200,
    errors: [404],
  }),
  (c) => {
    const task = builtinTask(c.req.param('id'))
    if (!task) throw new ApiError(404, 'unknown-task', unknownTask(c.req.param('id')))
    return c.json(recordJsonSchema(task))
  },
)
