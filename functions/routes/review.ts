/**
 * The review API: the queue of flagged fields (lowest confidence or oldest first, by task, batch,
 * field), claims, the report with its evidence, decisions (accept, correct, not stated) kept as an
 * append-only audit trail, batch progress, and the corrections export that `radstruct distill
 * review` reads. Site admins may also add reviewers.
 */

import { Hono } from 'hono'
import { z } from 'zod'
import { reviewerCreatedSchema, reviewerRoleSchema, reviewerSchema } from '../../core/api.ts'
import { type Correction, finalValues } from '../../core/contracts.ts'
import type { ReportInput } from '../../core/reports/split.ts'
import { builtinTask } from '../../schemas/index.ts'
import { validateRecord } from '../../schemas/record.ts'
import { type AppEnv, settings } from '../env.ts'
import { ApiError, notFound } from '../problem.ts'
import { storedResultOf } from '../results.ts'
import { createReviewer, reviewerAuth } from '../review/auth.ts'
import { doc, json } from '../route-doc.ts'
import { reportRow } from '../store/batches.ts'
import { readRecords } from '../store/raw.ts'
import {
  addDecision,
  CLAIM_MINUTES,
  claimReport,
  corrections,
  decisionsOf,
  flaggedConfidence,
  flaggedItems,
  holdsClaim,
  rawLocation,
  releaseClaim,
  reviewProgress,
  reviewQueue,
} from '../store/review.ts'
import { parseQuery } from './batches.ts'
import { parseJsonBody } from './json-body.ts'

export const decisionSchema = z
  .object({
    field: z.string().min(1),
    action: z.enum(['accept', 'correct', 'not_stated']),
    /** The corrected value (action correct). */
    value: z.union([z.number(), z.string()]).optional(),
    reason: z.string().max(1000).optional(),
  })
  .strict()

export const reviewerRequestSchema = z
  .object({
    name: z.string().min(1).max(200),
    role: reviewerRoleSchema.default('reviewer'),
  })
  .strict()

export const review = new Hono<AppEnv>()
review.use('*', reviewerAuth)

review.get(
  '/me',
  doc({
    summary: 'The signed-in reviewer (id, site, name, role).',
    auth: 'reviewer',
    ok: 200,
    response: reviewerSchema,
    errors: [401],
  }),
  (c) => c.json(c.get('reviewer')),
)

review.get(
  '/queue',
  doc({
    summary: 'Reports with fields to review, least confident first (or oldest).',
    auth: 'reviewer',
    query: [
      { name: 'task', description: 'only this task' },
      { name: 'batch', description: 'only this batch' },
      { name: 'field', description: 'only reports flagging this field' },
      { name: 'order', description: 'confidence | oldest' },
      { name: 'limit', description: '1 to 200 (50)' },
    ],
    ok: 200,
    errors: [400, 401],
  }),
  async (c) => {
    const q = parseQuery(
      z.object({
        task: z.string().optional(),
        batch: z.string().optional(),
        field: z.string().optional(),
        order: z.enum(['confidence', 'oldest']).default('confidence'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      c.req.query(),
    )
    const me = c.get('reviewer')
    return c.json({ reports: await reviewQueue(c.env.DB, me.siteId, me.id, q) })
  },
)

async function ownReport(
  c: { env: AppEnv['Bindings']; get: (k: 'reviewer') => AppEnv['Variables']['reviewer'] },
  id: string,
) {
  const row = await reportRow(c.env.DB, c.get('reviewer').siteId, id)
  if (!row) throw notFound('report')
  return row
}

review.post(
  '/reports/:id/claim',
  doc({
    summary: 'Claim a report for review (expires; another reviewer gets 409 meanwhile).',
    auth: 'reviewer',
    ok: 200,
    errors: [401, 404, 409],
  }),
  async (c) => {
    const row = await ownReport(c, c.req.param('id'))
    const claim = await claimReport(c.env.DB, row.id, c.get('reviewer').id)
    if (!claim.ok)
      throw new ApiError(
        409,
        'claimed',
        `report ${row.external_id} is being reviewed by someone else (claims last ${CLAIM_MINUTES} minutes)`,
        {
          report: row.external_id,
        },
      )
    return c.json({ report: row.id, expiresAt: claim.expiresAt })
  },
)

review.delete(
  '/reports/:id/claim',
  doc({
    summary: 'Release a claim.',
    auth: 'reviewer',
    ok: 204,
    errors: [401, 404],
  }),
  async (c) => {
    const row = await ownReport(c, c.req.param('id'))
    await releaseClaim(c.env.DB, row.id, c.get('reviewer').id)
    return c.body(null, 204)
  },
)

/** The report text, its result (values, confidence, signals, evidence, samples) and the decisions so far. */
review.get(
  '/reports/:id',
  doc({
    summary: 'One report for review: text, values, flagged fields with evidence, decisions so far.',
    auth: 'reviewer',
    ok: 200,
    errors: [401, 404],
  }),
  async (c) => {
    const row = await ownReport(c, c.req.param('id'))
    const raw = await rawLocation(c.env.DB, row.id)
    const [stored] = raw
      ? await readRecords<ReportInput>(c.env.RAW, raw.key, [
          { offset: raw.offset, length: raw.length },
        ])
      : [undefined]
    const result = await storedResultOf(settings(c.env), row.result_key)
    const decisions = await decisionsOf(c.env.DB, row.id)
    const flagged = await flaggedItems(c.env.DB, row.id)
    return c.json({
      report: row.id,
      id: row.external_id,
      batch: row.first_batch_id,
      task: row.task,
      text: stored?.text ?? null,
      flagged,
      result: result
        ? {
            values: result.values,
            confidence: result.confidence,
            signals: result.signals,
            evidence: result.evidence,
            sampled: result.sampled,
            // what the reading did not read: a report flagged as a whole says why
            coverage: result.report?.coverage ?? null,
          }
        : null,
      final: result ? finalValues(result.values, decisions) : null,
      decisions,
    })
  },
)

review.post(
  '/reports/:id/decisions',
  doc({
    summary: 'Accept, correct or clear a flagged field (append-only audit trail).',
    auth: 'reviewer',
    body: { 'application/json': json(decisionSchema) },
    ok: 201,
    errors: [401, 404, 409, 415, 422],
  }),
  async (c) => {
    const row = await ownReport(c, c.req.param('id'))
    const me = c.get('reviewer')
    const body = await parseJsonBody(c.req.raw, decisionSchema, 16 * 1024)
    if (!(await holdsClaim(c.env.DB, row.id, me.id)))
      throw new ApiError(
        409,
        'not-claimed',
        `claim report ${row.external_id} before deciding on its fields (POST .../claim)`,
        {
          report: row.external_id,
        },
      )
    const task = builtinTask(row.task)
    const field = task?.fields.find((f) => f.key === body.field)
    if (!task || !field)
      throw new ApiError(422, 'unknown-field', `${body.field}: not a field of ${row.task}`, {
        report: row.external_id,
        field: body.field,
      })
    const values: Record<string, unknown> =
      (await storedResultOf(settings(c.env), row.result_key))?.values ?? {}
    const confidence = await flaggedConfidence(c.env.DB, row.id, body.field)
    const previous =
      finalValues(values, await decisionsOf(c.env.DB, row.id))[body.field]?.value ?? null
    let newValue: unknown = previous
    if (body.action === 'not_stated') newValue = null
    if (body.action === 'correct') {
      if (body.value === undefined)
        throw new ApiError(422, 'validation', 'value: a correction needs the right value', {
          report: row.external_id,
          field: body.field,
        })
      const check = validateRecord(task, { [body.field]: body.value }, { partial: true })
      if (!check.ok)
        throw new ApiError(422, 'invalid-value', `${body.field}: ${check.issues[0]?.message}`, {
          report: row.external_id,
          field: body.field,
        })
      // a reviewer's value is gold for the next student: it must be physically possible
      if (
        field.kind === 'number' &&
        typeof body.value === 'number' &&
        (body.value < field.limits[0] || body.value > field.limits[1])
      )
        throw new ApiError(
          422,
          'invalid-value',
          `${body.field}: ${body.value} ${field.unit} is outside the field's limits (${field.limits[0]} to ${field.limits[1]} ${field.unit})`,
          { report: row.external_id, field: body.field },
        )
      newValue = body.value
    }
    const decision = await addDecision(c.env.DB, {
      reportId: row.id,
      field: body.field,
      reviewerId: me.id,
      action: body.action,
      oldValue: previous,
      newValue,
      confidence: confidence ?? null,
      reason: body.reason ?? null,
    })
    return c.json(decision, 201)
  },
)

review.get(
  '/batches/:id',
  doc({
    summary: "A batch's review progress: flagged fields, reviewed, corrected.",
    auth: 'reviewer',
    ok: 200,
    errors: [401, 404],
  }),
  async (c) => {
    const progress = await reviewProgress(c.env.DB, c.get('reviewer').siteId, c.req.param('id'))
    if (!progress) throw notFound('batch')
    return c.json({ batch: c.req.param('id'), ...progress })
  },
)

/** Corrections as `radstruct distill review` reads them: one {"reportId", "field", "value", "reviewer", "reason"} per line. */
review.get(
  '/corrections',
  doc({
    summary: 'Corrections as NDJSON, the input of `radstruct distill review`.',
    auth: 'reviewer',
    query: [{ name: 'batch', description: 'only this batch' }],
    ok: 200,
    errors: [401],
  }),
  async (c) => {
    const q = parseQuery(z.object({ batch: z.string().optional() }), c.req.query())
    const rows = await corrections(c.env.DB, c.get('reviewer').siteId, q.batch)
    const lines = rows.map((r) =>
      JSON.stringify({
        reportId: r.externalId,
        field: r.field,
        value: JSON.parse(r.newValue),
        reviewer: r.reviewer,
        reason: r.reason ?? r.action,
      } satisfies Correction),
    )
    return c.body(lines.length ? `${lines.join('\n')}\n` : '', 200, {
      'content-type': 'application/x-ndjson',
    })
  },
)

review.post(
  '/reviewers',
  doc({
    summary: 'A site admin adds a reviewer to their site; the token is shown once.',
    auth: 'reviewer',
    body: { 'application/json': json(reviewerRequestSchema) },
    ok: 201,
    response: reviewerCreatedSchema,
    errors: [401, 403, 415, 422],
  }),
  async (c) => {
    const me = c.get('reviewer')
    if (me.role !== 'site_admin')
      throw new ApiError(403, 'forbidden', 'only a site admin adds reviewers')
    const body = await parseJsonBody(c.req.raw, reviewerRequestSchema, 4096)
    return c.json(await createReviewer(c.env.DB, me.siteId, body.name, body.role), 201)
  },
)
