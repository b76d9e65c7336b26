/**
 * The worker process: reads the work queue (SQS, long poll, up to 10 at a time, visibility
 * extended by a heartbeat while a report is in flight), runs each report through the model and
 * the scorer, stores the result, and only then deletes the message. Serves /healthz and /metrics.
 * On SIGTERM it stops polling, finishes the reports in flight, and exits.
 */
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdir, rename } from 'node:fs/promises'
import { createServer } from 'node:http'
import { basename, dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { SQSClient } from '@aws-sdk/client-sqs'
import { pino } from 'pino'
import { Consumer } from 'sqs-consumer'
import { batchingEncoder } from '../adapters/backends/batching.ts'
import { encoderFiles } from '../adapters/backends/encoder.ts'
import { openBackend } from '../adapters/backends/index.ts'
import { referenceModelsDir } from '../adapters/backends/reference-student.ts'
import { S3Sink } from '../adapters/sinks/s3.ts'
import { encoderBatchChars } from '../core/extraction/pipeline.ts'
import { loadWorkerConfig, parseS3Uri, type WorkerConfig } from './config.ts'
import { createMetrics } from './metrics.ts'
import { Worker } from './worker.ts'

const log = pino({ base: { service: 'radstruct-worker' } })

/** An encoder folder: an s3:// prefix's three files are fetched once each (checksums kept). */
async function resolveEncoder(config: WorkerConfig, s3: S3Client): Promise<string> {
  const model = config.MODEL ?? referenceModelsDir
  if (!model.startsWith('s3://')) return model
  const { prefix } = parseS3Uri(model)
  const dir = join(config.MODEL_CACHE_DIR, basename(prefix.replace(/\/$/, '')) || 'encoder')
  for (const file of encoderFiles)
    await fetchObject(s3, `${model.replace(/\/?$/, '/')}${file}`, join(dir, file))
  return dir
}

/** A local path for a GGUF model: an s3:// URI is downloaded once and reused while its checksum holds. */
async function resolveModel(config: WorkerConfig, s3: S3Client): Promise<string> {
  const model = config.MODEL as string
  if (!model.startsWith('s3://')) return model
  const { prefix } = parseS3Uri(model)
  return fetchObject(s3, model, join(config.MODEL_CACHE_DIR, basename(prefix.replace(/\/$/, ''))))
}

async function fetchObject(s3: S3Client, uri: string, path: string): Promise<string> {
  const { bucket, prefix } = parseS3Uri(uri)
  const key = prefix.replace(/\/$/, '')
  const sumPath = `${path}.sha256`
  if (existsSync(path) && existsSync(sumPath)) {
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex')
    if (hash === readFileSync(sumPath, 'utf8').trim()) return path
    log.warn({ path }, 'cached model does not match its checksum: fetching again')
  }
  await mkdir(dirname(path), { recursive: true })
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  const tmp = `${path}.download`
  const hash = createHash('sha256')
  const body = object.Body as Readable
  body.on('data', (chunk: Buffer) => hash.update(chunk))
  await pipeline(body, createWriteStream(tmp))
  await rename(tmp, path)
  writeFileSync(sumPath, `${hash.digest('hex')}\n`)
  log.info({ path }, 'model fetched')
  return path
}

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env)
  const s3Endpoint = config.S3_ENDPOINT_URL ?? config.AWS_ENDPOINT_URL
  const sqsEndpoint = config.SQS_ENDPOINT_URL ?? config.AWS_ENDPOINT_URL
  // a request that gets no answer (a server that went away under a kept-alive socket) fails in
  // seconds, not after Node's two-minute socket timeout; the long poll waits 5 s of it
  const requestHandler = { connectionTimeout: 5_000, requestTimeout: 30_000 }
  const s3 = new S3Client({
    region: config.AWS_REGION,
    ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
    // our own retries (S3Sink) decide how long a refusing store is waited for
    maxAttempts: 1,
    requestHandler,
  })
  const sqs = new SQSClient({
    region: config.AWS_REGION,
    ...(sqsEndpoint ? { endpoint: sqsEndpoint } : {}),
    requestHandler: { ...requestHandler, requestTimeout: 15_000 },
  })
  const results = parseS3Uri(config.RESULTS_URI)
  const metrics = createMetrics()
  const opened = await openBackend(
    config.BACKEND === 'encoder'
      ? {
          backend: 'encoder',
          modelDir: await resolveEncoder(config, s3),
          threads: config.THREADS,
          gpu: config.GPU,
        }
      : config.BACKEND === 'server'
        ? {
            backend: 'server',
            baseUrl: config.SERVER_URL as string,
            dialect: config.SERVER_DIALECT,
            ...(config.MODEL ? { model: config.MODEL } : {}),
            ...(config.SERVER_API_KEY ? { apiKey: config.SERVER_API_KEY } : {}),
          }
        : {
            backend: 'embedded',
            modelPath: await resolveModel(config, s3),
            sequences: config.SEQUENCES ?? config.SAMPLES + 1,
            threads: config.THREADS,
          },
  )
  // the reports of one receive are handled concurrently: an encoder reads them in one call
  const backend =
    opened.kind === 'encoder'
      ? batchingEncoder(opened, {
          windowMs: config.BATCH_WINDOW_MS,
          maxReports: config.BATCH_SIZE,
          // on a GPU padding costs little: a whole receive shares one call
          maxChars: config.GPU ? Number.POSITIVE_INFINITY : encoderBatchChars,
        })
      : opened
  const worker = new Worker({
    backend,
    sink: new S3Sink(s3, results.bucket, results.prefix, { attempts: config.STORE_ATTEMPTS }),
    sampling: {
      samples: config.SAMPLES,
      temperature: config.TEMPERATURE,
      maxTokens: config.MAX_TOKENS,
      decoding: config.DECODING,
    },
    defaultTask: config.TASK,
    log,
    metrics,
    dropPrefix: 'drop/',
    fetchObject: async (bucket, key) => {
      const o = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      return (await o.Body?.transformToString('utf-8')) ?? ''
    },
    maxReceives: config.MAX_RECEIVES,
    ...(config.EVENTS_URL && config.EVENTS_SECRET
      ? { events: { url: config.EVENTS_URL, secret: config.EVENTS_SECRET } }
      : {}),
  })

  // sqs-consumer re-polls at once after a network error (ECONNREFUSED is not one it pauses on):
  // back off instead, 0.5 s doubling to 30 s, and log the outage once, not per poll
  let queueErrors = 0
  const onQueueError = (e: Error) => {
    if (queueErrors++ === 0) log.error({ error: e.message }, 'queue error: retrying with backoff')
  }
  const onQueueBack = () => {
    if (queueErrors > 1) log.info({ errors: queueErrors }, 'queue reachable again')
    queueErrors = 0
  }
  const consumer = Consumer.create({
    queueUrl: config.QUEUE_URL,
    preReceiveMessageCallback: async () => {
      if (queueErrors > 0)
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** (queueErrors - 1))))
    },
    postReceiveMessageCallback: async () => onQueueBack(),
    sqs,
    batchSize: config.BATCH_SIZE,
    visibilityTimeout: config.VISIBILITY_TIMEOUT,
    heartbeatInterval: config.HEARTBEAT_INTERVAL,
    waitTimeSeconds: 5,
    pollingCompleteWaitTimeMs: 10 * 60_000,
    // a failed message comes back after 2, 4, 8 ... s (at most a minute), not a full visibility timeout
    terminateVisibilityTimeout: (messages) =>
      Math.min(60, 2 ** Number(messages[0]?.Attributes?.ApproximateReceiveCount ?? 1)),
    messageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    handleMessage: async (message) => {
      await worker.handle(message.Body, {
        messageId: message.MessageId ?? 'unknown',
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
        ...(message.Attributes?.SentTimestamp
          ? { sentAt: Number(message.Attributes.SentTimestamp) }
          : {}),
      })
      return message
    },
  })
  consumer.on('processing_error', (e) =>
    log.warn({ error: e.message }, 'message left on the queue'),
  )
  consumer.on('error', onQueueError)

  let stopping = false
  const server = createServer(async (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(stopping ? 503 : 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: !stopping, inFlight: worker.inFlight, model: backend.info }))
    } else if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType })
      res.end(await metrics.registry.metrics())
    } else {
      res.writeHead(404).end()
    }
  })
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : config.PORT
    log.info({ port, queue: config.QUEUE_URL, model: backend.info }, 'worker started')
  })

  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal, inFlight: worker.inFlight }, 'stopping: finishing reports in flight')
    consumer.once('stopped', async () => {
      await backend.close()
      server.close()
      log.info('stopped')
      process.exit(0)
    })
    consumer.stop()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  consumer.start()
}

main().catch((e) => {
  log.error({ error: (e as Error).message }, 'worker failed to start')
  process.exit(1)
})
