/**
 * POST /v1/checks: the cheap checks alone, synchronously, for sites that already hold structured
 * data: distribution, consistency and (with the report text) grounding per field, and confidence.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { maxReportChars } from '../../core/reports/split.ts'
import { scoreRecord } from '../../core/scoring/index.ts'
import { validateRecord } from '../../schemas/record.ts'
import { siteAuth } from '../auth.ts'
import type { AppEnv } from '../env.ts'
import { taskOrThrow } from '../intake/body.ts'
import { ApiError } from '../problem.ts'
import { doc, json } from '../route-doc.ts'
import { parseJsonBody } from './json-body.ts'

export const checkRequestSchema = z
  .object({
    task: z.string(),
    /** The site's id for the record, echoed back in errors. */
    id: z.string().max(128).optional(),
    record: z.record(z.string(), z.unknown()),
    text: z.string().max(maxReportChars).optional(),
    sex: z.enum(['male', 'female']).optional(),
  })
  .strict()

export const checks = new Hono<AppEnv>()
checks.use('*', siteAuth)

checks.post(
  '/',
  doc({
    summary:
      'Distribution, consistency and grounding checks on a structured record, synchronously.',
    auth: 'site',
    body: { 'application/json': json(checkRequestSchema) },
    ok: 200,
    errors: [400, 401, 413, 415, 422],
  }),
  async (c) => {
    const body = await parseJsonBody(c.req.raw, checkRequestSchema, 1024 * 1024)
    const task = taskOrThrow(body.task)
    const valid = validateRecord(task, body.record, { partial: true })
    if (!valid.ok)
      throw new ApiError(422, 'invalid-record', `the record does not fit task ${task.id}`, {
        ...(body.id ? { report: body.id } : {}),
        field: valid.issues[0]?.field,
        errors: valid.issues.map((i) => ({
          ...(body.id ? { report: body.id } : {}),
          field: i.field,
          detail: i.message,
        })),
      })
    const scored = scoreRecord(task, {
      values: valid.record,
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.sex ? { sex: body.sex } : {}),
    })
    return c.json({ ...(body.id ? { id: body.id } : {}), ...scored })
  },
)
