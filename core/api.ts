/**
 * The edge API's answers, one zod schema each: the edge's routes build them (type-checked with
 * `satisfies`), the OpenAPI document publishes them, and the CLI parses what it receives with
 * them, so a client and the edge cannot drift apart unnoticed.
 */
import { z } from 'zod'

const count = z.number().int().min(0)

/** A report refused at intake: its line in the upload, the site's id when it had one, and why. */
export const rejectionSchema = z.object({
  line: z.number().int(),
  report: z.string().optional(),
  detail: z.string(),
})
export type Rejection = z.infer<typeof rejectionSchema>

/** POST /v1/batches. */
export const batchAcceptedSchema = z.object({
  batch: z.string(),
  task: z.string(),
  accepted: count,
  /** Accepted reports the site had sent before (same id and content): not processed again. */
  duplicates: count,
  redacted: count,
  rejected: count,
  rejections: z.array(rejectionSchema),
  status: z.string(),
  results: z.string(),
})
export type BatchAccepted = z.infer<typeof batchAcceptedSchema>

/** GET /v1/batches/{id}. */
export const batchSummarySchema = z.object({
  id: z.string(),
  task: z.string(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  counts: z.object({
    accepted: count,
    rejected: count,
    queued: count,
    done: count,
    flagged: count,
    failed: count,
  }),
  failures: z.array(z.object({ reason: z.string(), reports: count })),
  rejections: z.array(
    z.object({ line: z.number().int(), report: z.string().nullable(), detail: z.string() }),
  ),
})
export type BatchSummary = z.infer<typeof batchSummarySchema>

/** GET /v1/batches. */
export const batchListSchema = z.object({
  batches: z.array(
    z.object({
      id: z.string(),
      task: z.string(),
      accepted: count,
      rejected: count,
      createdAt: z.string(),
      completedAt: z.string().nullable(),
    }),
  ),
})
export type BatchListItem = z.infer<typeof batchListSchema>['batches'][number]

/** POST /admin/sites. */
export const siteSchema = z.object({
  id: z.string(),
  name: z.string(),
  deidPolicy: z.enum(['reject', 'redact']),
})
export type Site = z.infer<typeof siteSchema>

/** POST /admin/sites/{site}/keys: the key is in this answer only. */
export const keyCreatedSchema = z.object({ id: z.string(), key: z.string() })

export const reviewerRoleSchema = z.enum(['site_admin', 'reviewer'])

/** POST /admin/sites/{site}/reviewers: the token is in this answer only. */
export const reviewerCreatedSchema = z.object({ id: z.string(), token: z.string() })

/** GET /v1/review/me: the signed-in reviewer. */
export const reviewerSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  role: reviewerRoleSchema,
})

/** POST /v1/webhooks: the secret is in this answer only. */
export const webhookCreatedSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  secret: z.string(),
})

/** GET /v1/webhooks. */
export const webhookListSchema = z.object({
  webhooks: z.array(
    z.object({
      id: z.string(),
      url: z.string(),
      events: z.array(z.string()),
      createdAt: z.string(),
    }),
  ),
})
export type WebhookEndpoint = z.infer<typeof webhookListSchema>['webhooks'][number]

/** GET /v1/webhooks/{id}/attempts: the last 100, newest first. */
export const webhookAttemptsSchema = z.object({
  attempts: z.array(
    z.object({
      event_id: z.string(),
      type: z.string(),
      attempt: z.number().int(),
      status: z.number().int().nullable(),
      error: z.string().nullable(),
      at: z.string(),
    }),
  ),
})
export type WebhookAttempt = z.infer<typeof webhookAttemptsSchema>['attempts'][number]

/** GET /admin/sites/{site}/reviewers. */
export const reviewerListSchema = z.object({
  reviewers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: z.string(),
      createdAt: z.string(),
      revokedAt: z.string().nullable(),
    }),
  ),
})
export type ReviewerListItem = z.infer<typeof reviewerListSchema>['reviewers'][number]

/** Every refusal: RFC 9457 problem details (the type is one of functions/problem.ts's catalogue). */
export const problemSchema = z.object({
  type: z.string(),
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
