/** The Worker's bindings and settings (wrangler.toml [vars] and secrets), validated once per isolate. */
import { z } from 'zod'

export interface DispatchMessage {
  kind: 'dispatch'
  batchId: string
}
export interface DeliveryMessage {
  kind: 'deliver'
  eventId: string
  /** A webhook endpoint id, or "callback" for the batch's callback URL. */
  target: string
}

export interface Bindings {
  DB: D1Database
  RAW: R2Bucket
  DISPATCH: Queue<DispatchMessage>
  WEBHOOKS: Queue<DeliveryMessage>
  [name: string]: unknown
}

const settingsSchema = z.object({
  /** The SQS work queue the GPU worker reads. */
  SQS_QUEUE_URL: z.string().url(),
  /** SQS endpoint, when not the queue URL's origin (a local SQS server). */
  SQS_ENDPOINT: z.string().url().optional(),
  /** S3 (or R2's S3 API) endpoint, bucket and prefix where the worker writes results. */
  RESULTS_ENDPOINT: z.string().url(),
  RESULTS_BUCKET: z.string().min(3),
  RESULTS_PREFIX: z.string().default(''),
  AWS_REGION: z.string().default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string().min(1),
  AWS_SECRET_ACCESS_KEY: z.string().min(1),
  /** Shared with the worker: signs its result events. */
  EVENTS_SECRET: z.string().min(16),
  /** Guards /admin (sites and API keys). */
  ADMIN_TOKEN: z.string().min(16),
  MAX_BATCH_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  MAX_REPORTS_PER_BATCH: z.coerce.number().int().positive().default(100_000),
  MAX_EXTRACT_REPORTS: z.coerce.number().int().positive().default(20),
  /**
   * The tasks this deployment's worker has a model for (comma-separated); an upload of another
   * task is refused with 422, never queued to fail. Unset: every shipped task (the shipped
   * encoders serve all of them).
   */
  SERVED_TASKS: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
    ),
  /** The sweeper (cron) looks in the store for results of reports queued longer than this. */
  RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(0).default(300),
  /** ... and dispatches again reports left pending longer than this (a lost or refused dispatch). */
  PENDING_AFTER_SECONDS: z.coerce.number().int().min(0).default(120),
  /** A report queued this long with no result and no final failure has lost its message (longer
   * than the worker's maxReceiveCount x visibility timeout, shorter than SQS retention). */
  QUEUED_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(6 * 3600),
  /** Dispatches before a report is given up on (failed, with the reason). */
  MAX_DISPATCHES: z.coerce.number().int().min(1).default(3),
  /** Queued reports the sweeper checks per run (it keeps a cursor between runs). */
  SWEEP_LIMIT: z.coerce.number().int().min(1).default(200),
  /** First webhook retry delay; doubles per attempt, at most an hour. */
  WEBHOOK_BACKOFF_SECONDS: z.coerce.number().int().min(0).default(10),
  /** Webhook and callback URLs must be https unless this is "true" (local development only). */
  ALLOW_HTTP_WEBHOOKS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
})
export type Settings = z.infer<typeof settingsSchema>

const cache = new WeakMap<object, Settings>()

/** Settings from the environment; a misconfigured deployment fails loudly, naming each variable. */
export function settings(env: Bindings): Settings {
  const hit = cache.get(env)
  if (hit) return hit
  const parsed = settingsSchema.safeParse(env)
  if (!parsed.success)
    throw new Error(
      `edge configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  cache.set(env, parsed.data)
  return parsed.data
}

export interface Reviewer {
  id: string
  siteId: string
  name: string
  role: 'site_admin' | 'reviewer'
}
export type AppEnv = { Bindings: Bindings; Variables: { siteId: string; reviewer: Reviewer } }
