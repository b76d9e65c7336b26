/**
 * The worker process: reads the work queue (SQS, long poll, up to 10 at a time, visibility
 * extended by a heartbeat while a report is in flight), runs each report through the model and
 * the scorer, stores the result, and only then deletes the message. Serves /healthz and /metrics.
 * On SIGTERM it stops polling, finishes the reports in flight, and exits.
 */
import { createServer, type Server } from 'node:http'
import { S3Client } from '@aws-sdk/client-s3'
import { SQSClient } from '@aws-sdk/client-sqs'
import { pino } from 'pino'
import { Consumer } from 'sqs-consumer'
import { batchingEncoder, encoderBatchChars } from '../adapters/backends/batching.ts'
import { backendConfig, openBackend } from '../adapters/backends/index.ts'
import { S3Sink } from '../adapters/sinks/s3.ts'
import type { ModelBackend } from '../core/ports/model-backend.ts'
import { samplingOf } from '../core/run-settings.ts'
import { loadWorkerConfig, parseS3Uri, type WorkerConfig } from './config.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { localModel } from './model-files.ts'
import { Worker } from './worker.ts'

const log = pino({ base: { service: 'radstruct-worker' } })

/** The S3 and SQS clients, pointed at a local server where the config names one. */
function awsClients(config: WorkerConfig): { s3: S3Client; sqs: SQSClient } {
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
  return { s3, sqs }
}

/** The configured model backend; an encoder batches the reports of one receive into one call. */
async function workerBackend(config: WorkerConfig, s3: S3Client): Promise<ModelBackend> {
  const opened = await openBackend(backendConfig(config.run, await localModel(config, s3, log)))
  return opened.kind === 'encoder'
    ? batchingEncoder(opened, {
        windowMs: config.BATCH_WINDOW_MS,
        maxReports: config.BATCH_SIZE,
        // on a GPU padding costs little: a whole receive shares one call
        maxChars: config.run.gpu ? Number.POSITIVE_INFINITY : encoderBatchChars,
      })
    : opened
}

/** The worker itself: the backend, the result store, the sampling and the events to the edge. */
function wireWorker(
  config: WorkerConfig,
  s3: S3Client,
  backend: ModelBackend,
  metrics: Metrics,
): Worker {
  const results = parseS3Uri(config.RESULTS_URI)
  return new Worker({
    backend,
    sink: new S3Sink(s3, results.bucket, results.prefix, { attempts: config.STORE_ATTEMPTS }),
    sampling: samplingOf(config.run),
    defaultTask: config.TASK,
    log,
    metrics,
    dropPrefix: 'drop/',
    maxReceives: config.MAX_RECEIVES,
    ...(config.EVENTS_URL && config.EVENTS_SECRET
      ? { events: { url: config.EVENTS_URL, secret: config.EVENTS_SECRET } }
      : {}),
  })
}

/** The queue consumer that hands each message to the worker. */
function queueConsumer(config: WorkerConfig, sqs: SQSClient, worker: Worker): Consumer {
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

  return consumer
}

/** /healthz (503 while stopping) and /metrics. */
function healthServer(
  config: WorkerConfig,
  worker: Worker,
  backend: ModelBackend,
  metrics: Metrics,
  stopping: () => boolean,
): Server {
  const server = createServer(async (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(stopping() ? 503 : 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: !stopping(), inFlight: worker.inFlight, model: backend.info }))
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
  return server
}

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env)
  const { s3, sqs } = awsClients(config)
  const metrics = createMetrics()
  const backend = await workerBackend(config, s3)
  const worker = wireWorker(config, s3, backend, metrics)
  const consumer = queueConsumer(config, sqs, worker)
  let stopping = false
  const server = healthServer(config, worker, backend, metrics, () => stopping)

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
