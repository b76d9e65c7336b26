/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with, and a
 * plain reference page rendered from it (no build step, no external scripts). */
import { z } from 'zod'
import { workerEventSchema } from '../core/contracts.ts'
import { reportInputSchema } from '../core/reports/split.ts'
import { type ProblemType, problemTypes, problemUri } from './problem.ts'
import { siteRequestSchema } from './routes/admin.ts'
import { checkRequestSchema } from './routes/checks.ts'
import { decisionSchema, reviewerRequestSchema } from './routes/review.ts'
import { webhookRequestSchema } from './routes/webhooks.ts'

const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })

const problem = z.object({
  // one of the catalogue's types (functions/problem.ts)
  type: z.enum(
    Object.keys(problemTypes).map((t) => problemUri(t as ProblemType)) as [string, ...string[]],
  ),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  report: z.string().optional(),
  field: z.string().optional(),
  line: z.number().int().optional(),
  errors: z
    .array(
      z.object({
        line: z.number().optional(),
        report: z.string().optional(),
        field: z.string().optional(),
        detail: z.string(),
      }),
    )
    .optional(),
  errorCount: z.number().int().optional(),
})
const batchJson = z.object({ task: z.string(), reports: z.array(reportInputSchema) })
const extractJson = batchJson.extend({ callbackUrl: z.string().url() })

interface Op {
  method: 'get' | 'post' | 'delete'
  path: string
  summary: string
  auth: 'site' | 'admin' | 'reviewer' | 'signature' | 'none'
  body?: Record<string, unknown>
  query?: { name: string; description: string; required?: boolean }[]
  ok: number
  errors: number[]
}

const ops: Op[] = [
  {
    method: 'post',
    path: '/v1/batches',
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
    errors: [400, 401, 409, 413, 415, 422],
  },
  {
    method: 'get',
    path: '/v1/batches',
    summary: "The site's batches, newest first (uploads, extractions, drop-folder files).",
    auth: 'site',
    query: [
      { name: 'limit', description: '1 to 200 (50)' },
      { name: 'task', description: 'only this task' },
      { name: 'state', description: 'open | complete' },
      { name: 'since', description: 'created at or after (ISO date or time)' },
    ],
    ok: 200,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/v1/batches/{id}',
    summary: 'Batch status: queued, done, flagged, failed (with reasons), rejections.',
    auth: 'site',
    ok: 200,
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/v1/batches/{id}/results',
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
  },
  {
    method: 'get',
    path: '/v1/results',
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
  },
  {
    method: 'get',
    path: '/v1/reports/{id}',
    summary: 'One report: status and result.',
    auth: 'site',
    ok: 200,
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/v1/checks',
    summary:
      'Distribution, consistency and grounding checks on a structured record, synchronously.',
    auth: 'site',
    body: { 'application/json': json(checkRequestSchema) },
    ok: 200,
    errors: [400, 401, 413, 415, 422],
  },
  {
    method: 'post',
    path: '/v1/extract',
    summary: 'Extract a few reports; the results are POSTed, signed, to callbackUrl.',
    auth: 'site',
    body: { 'application/json': json(extractJson) },
    ok: 202,
    errors: [400, 401, 409, 413, 415, 422],
  },
  {
    method: 'post',
    path: '/v1/webhooks',
    summary:
      'Register a webhook endpoint (events batch.completed, report.flagged); returns its secret once.',
    auth: 'site',
    body: { 'application/json': json(webhookRequestSchema(false)) },
    ok: 201,
    errors: [400, 401, 415, 422],
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    summary: 'List webhook endpoints.',
    auth: 'site',
    ok: 200,
    errors: [401],
  },
  {
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Remove a webhook endpoint.',
    auth: 'site',
    ok: 204,
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/v1/webhooks/{id}/attempts',
    summary: 'Delivery attempts of an endpoint, newest first.',
    auth: 'site',
    ok: 200,
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/v1/events',
    summary: 'Result events from the GPU worker (Standard Webhooks signature with EVENTS_SECRET).',
    auth: 'signature',
    body: { 'application/json': json(workerEventSchema) },
    ok: 200,
    errors: [400, 401, 422],
  },
  {
    method: 'get',
    path: '/v1/tasks',
    summary: 'The tasks this deployment extracts.',
    auth: 'none',
    ok: 200,
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/tasks/{id}/schema',
    summary: "JSON Schema of a task's record.",
    auth: 'none',
    ok: 200,
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/review/me',
    summary: 'The signed-in reviewer (id, site, name, role).',
    auth: 'reviewer',
    ok: 200,
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/review/queue',
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
  },
  {
    method: 'get',
    path: '/v1/review/reports/{id}',
    summary: 'One report for review: text, values, flagged fields with evidence, decisions so far.',
    auth: 'reviewer',
    ok: 200,
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/v1/review/reports/{id}/claim',
    summary: 'Claim a report for review (expires; another reviewer gets 409 meanwhile).',
    auth: 'reviewer',
    ok: 200,
    errors: [401, 404, 409],
  },
  {
    method: 'delete',
    path: '/v1/review/reports/{id}/claim',
    summary: 'Release a claim.',
    auth: 'reviewer',
    ok: 204,
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/v1/review/reports/{id}/decisions',
    summary: 'Accept, correct or clear a flagged field (append-only audit trail).',
    auth: 'reviewer',
    body: { 'application/json': json(decisionSchema) },
    ok: 201,
    errors: [401, 404, 409, 415, 422],
  },
  {
    method: 'get',
    path: '/v1/review/batches/{id}',
    summary: "A batch's review progress: flagged fields, reviewed, corrected.",
    auth: 'reviewer',
    ok: 200,
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/v1/review/corrections',
    summary: 'Corrections as NDJSON, the input of `radstruct distill review`.',
    auth: 'reviewer',
    query: [{ name: 'batch', description: 'only this batch' }],
    ok: 200,
    errors: [401],
  },
  {
    method: 'post',
    path: '/v1/review/reviewers',
    summary: 'A site admin adds a reviewer to their site; the token is shown once.',
    auth: 'reviewer',
    body: { 'application/json': json(reviewerRequestSchema) },
    ok: 201,
    errors: [401, 403, 415, 422],
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness.',
    auth: 'none',
    ok: 200,
    errors: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document.',
    auth: 'none',
    ok: 200,
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'The API reference page.',
    auth: 'none',
    ok: 200,
    errors: [],
  },
  {
    method: 'get',
    path: '/review',
    summary: 'The review page (sign in with a reviewer token).',
    auth: 'none',
    ok: 200,
    errors: [],
  },
  {
    method: 'post',
    path: '/admin/sites',
    summary: 'Create or update a site (de-identification policy reject | redact).',
    auth: 'admin',
    body: { 'application/json': json(siteRequestSchema) },
    ok: 201,
    errors: [401, 415, 422],
  },
  {
    method: 'post',
    path: '/admin/sites/{site}/keys',
    summary: 'Create an API key for a site; the key is shown once.',
    auth: 'admin',
    ok: 201,
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/admin/sites/{site}/reviewers',
    summary: 'Create a reviewer for a site; the sign-in token is shown once.',
    auth: 'admin',
    body: { 'application/json': json(reviewerRequestSchema) },
    ok: 201,
    errors: [401, 404, 415, 422],
  },
  {
    method: 'get',
    path: '/admin/sites/{site}/reviewers',
    summary: "A site's reviewers (id, name, role, created, revoked).",
    auth: 'admin',
    ok: 200,
    errors: [401],
  },
  {
    method: 'delete',
    path: '/admin/reviewers/{id}',
    summary: 'Revoke a reviewer: their token stops working.',
    auth: 'admin',
    ok: 204,
    errors: [401, 404],
  },
  {
    method: 'delete',
    path: '/admin/keys/{id}',
    summary: 'Revoke an API key.',
    auth: 'admin',
    ok: 204,
    errors: [401, 404],
  },
]

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of ops) {
    const params = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...(op.query ?? []).map((q) => ({
        name: q.name,
        in: 'query',
        required: q.required ?? false,
        description: q.description,
        schema: { type: 'string' },
      })),
      ...(op.method === 'post' && op.auth === 'site'
        ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }]
        : []),
    ]
    paths[op.path] ??= {}
    ;(paths[op.path] as Record<string, unknown>)[op.method] = {
      summary: op.summary,
      ...(op.auth === 'site'
        ? { security: [{ siteKey: [] }] }
        : op.auth === 'admin'
          ? { security: [{ adminToken: [] }] }
          : op.auth === 'reviewer'
            ? { security: [{ reviewerToken: [] }] }
            : { security: [] }),
      ...(params.length ? { parameters: params } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                Object.entries(op.body).map(([t, s]) => [t, { schema: s }]),
              ),
            },
          }
        : {}),
      responses: {
        [op.ok]: { description: 'OK' },
        ...Object.fromEntries(
          op.errors.map((s) => [s, { $ref: '#/components/responses/Problem' }]),
        ),
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'radstruct edge API',
      version: '1.0.0',
      description: 'Free-text radiology reports to structured data with per-field confidence.',
    },
    paths,
    components: {
      securitySchemes: {
        siteKey: { type: 'http', scheme: 'bearer', description: 'a site API key, rsk_...' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'the deployment ADMIN_TOKEN' },
        reviewerToken: { type: 'http', scheme: 'bearer', description: 'a reviewer token, rvw_...' },
      },
      responses: {
        Problem: {
          description: 'RFC 9457 problem details',
          content: { 'application/problem+json': { schema: json(problem) } },
        },
      },
    },
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

export function referencePage(): string {
  const rows = ops
    .map(
      (op) =>
        `<section><h2><code>${op.method.toUpperCase()} ${esc(op.path)}</code></h2><p>${esc(op.summary)}</p><p>Auth: ${op.auth}. Answers ${op.ok}${op.errors.length ? `; problems ${op.errors.join(', ')}` : ''}.</p>${
          op.body
            ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.body, null, 2))}</pre></details>`
            : ''
        }</section>`,
    )
    .join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>radstruct API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}h2{font-size:1.05rem}pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:12px}</style>
</head><body><h1>radstruct API reference</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>.</p>
${rows}</body></html>`
}
