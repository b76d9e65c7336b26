/** Worker configuration from the environment, validated once at start-up, with defaults that run locally. */
import { z } from 'zod'

const int = (d: number, min = 0) => z.coerce.number().int().min(min).default(d)

export const workerConfigSchema = z.object({
  /** The work queue (SQS URL). */
  QUEUE_URL: z.string().url(),
  /** Where results go: s3://bucket/prefix. */
  RESULTS_URI: z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}(\/.*)?$/, 'an s3://bucket/prefix URI'),
  /** encoder: the ONNX student (onnxruntime); embedded: a GGUF file run in-process; server: an
   * OpenAI-compatible endpoint (vLLM, llama-server). */
  BACKEND: z.enum(['encoder', 'embedded', 'server']).default('encoder'),
  /** encoder: a model folder, or an s3:// prefix holding encoder.json, encoder.onnx and heads.onnx
   * (default: the shipped encoders, one per task, in models/); embedded: a GGUF path or s3:// URI; both fetched once
   * into MODEL_CACHE_DIR; server: the model id (optional). */
  MODEL: z.string().optional(),
  /** Where /healthz and /metrics listen: every interface in a container (its orchestrator
   * probes them), loopback for the local stack. */
  HOST: z.string().default('0.0.0.0'),
  SERVER_URL: z.string().url().optional(),
  SERVER_DIALECT: z.enum(['llama.cpp', 'vllm']).default('vllm'),
  SERVER_API_KEY: z.string().optional(),
  MODEL_CACHE_DIR: z.string().default('.cache/models'),
  /** Default task when a message names none. */
  TASK: z.string().default('cmr52'),
  SAMPLES: int(3),
  TEMPERATURE: z.coerce.number().min(0).max(2).default(0.3),
  MAX_TOKENS: int(1024, 16),
  /** grounded: number fields take only values the report states (or null); free: any number. */
  DECODING: z.enum(['grounded', 'free']).default('grounded'),
  THREADS: int(1, 1),
  /** encoder: the CUDA execution provider (the GPU image), CPU otherwise. */
  GPU: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** encoder: how long a report waits for the others of its receive to share one session call. */
  BATCH_WINDOW_MS: int(5, 0),
  /** Embedded backend: context sequences; 1 + SAMPLES runs one report at a time, twice that two. */
  SEQUENCES: z.coerce.number().int().min(1).optional(),
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
export type WorkerConfig = z.infer<typeof workerConfigSchema>

const checkedSchema = workerConfigSchema.superRefine((c, ctx) => {
  if (c.BACKEND === 'embedded' && !c.MODEL)
    ctx.addIssue({
      code: 'custom',
      path: ['MODEL'],
      message: 'the embedded backend needs a GGUF model (a path or an s3:// URI)',
    })
  if (c.BACKEND === 'server' && !c.SERVER_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['SERVER_URL'],
      message: 'the server backend needs the server URL',
    })
})

/** Parses the environment; throws one message naming every bad variable. */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = checkedSchema.safeParse(env)
  if (parsed.success) return parsed.data
  throw new Error(
    `worker configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
  )
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri)
  if (!m) throw new Error(`not an s3:// URI: ${uri}`)
  const prefix = (m[2] as string).replace(/\/?$/, '/')
  return { bucket: m[1] as string, prefix: prefix === '/' ? '' : prefix }
}
