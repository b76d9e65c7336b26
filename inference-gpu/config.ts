/** Worker configuration from the environment, validated once at start-up, with defaults that run locally. */
import { z } from 'zod'
import { type RunSettings, readRunSettings } from '../core/run-settings.ts'

const int = (d: number, min = 0) => z.coerce.number().int().min(min).default(d)

export const workerConfigSchema = z.object({
  /** The work queue (SQS URL). */
  QUEUE_URL: z.string().url(),
  /** Where results go: s3://bucket/prefix. */
  RESULTS_URI: z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}(\/.*)?$/, 'an s3://bucket/prefix URI'),
  /** Where /healthz and /metrics listen: every interface in a container (its orchestrator
   * probes them), loopback for the local stack. */
  HOST: z.string().default('0.0.0.0'),
  MODEL_CACHE_DIR: z.string().default('.cache/models'),
  /** Default task when a message names none. */
  TASK: z.string().default('cmr52'),
  /** encoder: how long a report waits for the others of its receive to share one session call. */
  BATCH_WINDOW_MS: int(5, 0),
  /** Messages received per poll (SQS allows at most 10). */
  BATCH_SIZE: int(10, 1).refine((n) => n <= 10, 'at most 10'),
  /** Seconds a received message stays hidden; the heartbeat extends it while a report is in flight. */
  VISIBILITY_TIMEOUT: int(60, 5),
  HEARTBEAT_INTERVAL: int(20, 1),
  /** The work queue's maxReceiveCount (its redrive policy): the last receive reports a failure to the edge. */
  MAX_RECEIVES: int(5, 1),
  /** Attempts to store a result before the message is released for another try. */
  STORE_ATTEMPTS: int(5, 1),
  /** Health and metrics. */
  PORT: int(9464),
  /** Signed result events to the edge (optional). */
  EVENTS_URL: z.string().url().optional(),
  EVENTS_SECRET: z.string().min(16).optional(),
  AWS_REGION: z.string().default('us-east-1'),
  /** A local S3/SQS server (fauxqs) or another endpoint; unset for AWS. */
  AWS_ENDPOINT_URL: z.string().url().optional(),
  /** Per-service overrides, e.g. results in R2 while the queue is SQS. */
  S3_ENDPOINT_URL: z.string().url().optional(),
  SQS_ENDPOINT_URL: z.string().url().optional(),
})

/** The run settings (core/run-settings.ts) by their environment names. */
const runNames = {
  backend: 'BACKEND',
  model: 'MODEL',
  serverUrl: 'SERVER_URL',
  dialect: 'SERVER_DIALECT',
  apiKey: 'SERVER_API_KEY',
  samples: 'SAMPLES',
  temperature: 'TEMPERATURE',
  maxTokens: 'MAX_TOKENS',
  decoding: 'DECODING',
  threads: 'THREADS',
  gpu: 'GPU',
  sequences: 'SEQUENCES',
} as const

export type WorkerConfig = z.infer<typeof workerConfigSchema> & {
  /** BACKEND, MODEL, SERVER_URL, SERVER_DIALECT, SERVER_API_KEY, SAMPLES, TEMPERATURE,
   * MAX_TOKENS, DECODING, THREADS, GPU (encoder: CUDA), SEQUENCES (embedded). */
  run: RunSettings
}

/** Parses the environment; throws one message naming every bad variable. */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = workerConfigSchema.safeParse(env)
  const run = readRunSettings(env, runNames)
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...(run.ok ? [] : run.problems),
  ]
  if (parsed.success && run.ok) return { ...parsed.data, run: run.settings }
  throw new Error(`worker configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri)
  if (!m) throw new Error(`not an s3:// URI: ${uri}`)
  const prefix = (m[2] as string).replace(/\/?$/, '/')
  return { bucket: m[1] as string, prefix: prefix === '/' ? '' : prefix }
}
