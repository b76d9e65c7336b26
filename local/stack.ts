/**
 * The whole system on one machine, with nothing to configure: a local SQS/S3 server (fauxqs,
 * speaking the AWS wire protocol), the edge in workerd (wrangler's dev server, local D1/R2/Queues),
 * the GPU worker as its own Node process with the embedded reference student, and the drop-folder
 * notifier stand-in. `npm start` and the end-to-end tests both use it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { SQSClient } from '@aws-sdk/client-sqs'
import { type FauxqsServer, startFauxqs } from 'fauxqs'
import { encoderTasks } from '../adapters/backends/encoder-set.ts'
import { referenceModelsDir } from '../adapters/backends/reference-student.ts'
import { localStateDir } from '../cli/local-state.ts'
import { startDropNotifier } from './drop-notifier.ts'
import { startLocalEdge } from './edge.ts'

export const root = join(import.meta.dirname, '..')

export interface StackOptions {
  /** Ports; 0 picks a free one. */
  awsPort?: number
  edgePort?: number
  workerPort?: number
  /** Local D1/R2 state and the local site key live here. */
  stateDir?: string
  /** The worker's model (default: the shipped reference student). */
  model?: string
  samples?: number
  log?: (source: string, line: string) => void
  /** Edge settings over the local defaults (e.g. the sweeper's timings). */
  edgeVars?: Record<string, string>
  /** Worker settings over the local defaults. */
  workerVars?: Record<string, string>
  /** Where the worker posts its events (default: the edge's /v1/events). */
  eventsUrl?: string
  /** How often the sweeper (the edge's cron) runs; Cloudflare runs it every 5 minutes. */
  sweepEverySeconds?: number
  /** A part stopped without being asked to (the edge, the SQS/S3 server, a worker that keeps
   * crashing): called once; the stack stops everything else first. */
  onPartDied?: (part: 'edge' | 'sqs/s3' | 'worker', why: string) => void
}

export interface Stack {
  edgeUrl: string
  awsEndpoint: string
  queueUrl: string
  resultsBucket: string
  dropBucket: string
  adminToken: string
  /** The local S3/SQS server's access key (it takes any; the AWS CLI needs one). */
  credentials: { accessKeyId: string; secretAccessKey: string; region: string }
  site: { id: string; key: string }
  s3: S3Client
  sqs: SQSClient
  /** Stops the worker (it is not restarted); SIGKILL to crash it instead, which the stack
   * answers by starting a new one. */
  stopWorker(signal?: NodeJS.Signals): Promise<void>
  startWorker(): void
  /** The worker crashed this many times and was restarted. */
  workerRestarts(): number
  /** Stops the SQS/S3 server (queues and objects stay in the state folder) and starts it again. */
  stopQueueServer(): Promise<void>
  startQueueServer(): Promise<void>
  stop(): Promise<void>
}

const region = 'us-east-1'
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' }
const resultsBucket = 'radstruct-results'
const dropBucket = 'radstruct-drop'

type Part = 'edge' | 'sqs/s3' | 'worker'
type Log = (source: string, line: string) => void

/** Which parts were stopped on purpose (a stop, a test's fault), so that only the others are
 * reported dead, and once. */
interface Health {
  planned: Set<Part>
  stopped: boolean
  partDied(part: Part, why: string): void
}

function health(log: Log, onPartDied: StackOptions['onPartDied']): Health {
  let died = false
  const h: Health = {
    planned: new Set(),
    stopped: false,
    partDied(part, why) {
      if (h.stopped || died || h.planned.has(part)) return
      died = true
      log(part, `ERROR stopped unexpectedly: ${why}`)
      onPartDied?.(part, why)
    },
  }
  return h
}

/** The local SQS/S3 server; queues and objects persist in `awsDir`, so a restart loses no
 * queued message and no result. */
async function startAws(
  awsDir: string,
  port: number,
): Promise<{ server: FauxqsServer; queueUrl: string }> {
  const server = await startFauxqs({
    port,
    // loopback only ("localhost": fauxqs builds queue URLs from the host name, and
    // sqs.us-east-1.127.0.0.1 is not a valid URL host)
    host: 'localhost',
    logger: false,
    dataDir: awsDir,
  })
  server.createBucket(resultsBucket)
  server.createBucket(dropBucket)
  // createQueue replaces a queue with an empty one: a queue kept in the state folder is reused,
  // messages and all (fauxqs finds a queue by region and name, whatever port its URL names)
  const queue = (name: string, attributes?: Record<string, string>) => {
    const kept = server.inspectQueue(name)
    if (!kept) return server.createQueue(name, attributes ? { attributes } : undefined)
    const url = new URL(kept.url)
    url.port = new URL(server.address).port
    return { queueArn: kept.arn, queueUrl: url.toString() }
  }
  const dlq = queue('radstruct-work-dlq')
  const { queueUrl } = queue('radstruct-work', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: '5' }),
  })
  return { server, queueUrl }
}

/** The edge's settings for the local stack. */
function edgeVars(
  opts: StackOptions,
  awsAddress: string,
  queueUrl: string,
  secrets: { adminToken: string; eventsSecret: string },
): Record<string, string> {
  // the edge refuses uploads of a task the worker's encoders do not serve (a GGUF model takes any)
  const served =
    opts.model?.endsWith('.gguf') || opts.model?.startsWith('s3://')
      ? undefined
      : encoderTasks(opts.model ?? referenceModelsDir)
  return {
    SQS_QUEUE_URL: queueUrl,
    SQS_ENDPOINT: awsAddress,
    RESULTS_ENDPOINT: awsAddress,
    RESULTS_BUCKET: resultsBucket,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    EVENTS_SECRET: secrets.eventsSecret,
    ADMIN_TOKEN: secrets.adminToken,
    ALLOW_HTTP_WEBHOOKS: 'true',
    WEBHOOK_BACKOFF_SECONDS: '2',
    // the sweeper's timings, scaled to a local run (the worker's maxReceiveCount 5 x its
    // visibility timeout of 30 s is under the queue lifetime)
    RECONCILE_AFTER_SECONDS: '20',
    PENDING_AFTER_SECONDS: '20',
    QUEUED_LIFETIME_SECONDS: '300',
    ...(served ? { SERVED_TASKS: served.join(',') } : {}),
    ...opts.edgeVars,
  }
}

/** The worker's environment for the local stack. */
function workerEnv(
  opts: StackOptions,
  awsAddress: string,
  queueUrl: string,
  edgeUrl: string,
  eventsSecret: string,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    QUEUE_URL: queueUrl,
    RESULTS_URI: `s3://${resultsBucket}/`,
    AWS_ENDPOINT_URL: awsAddress,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    EVENTS_URL: opts.eventsUrl ?? `${edgeUrl}/v1/events`,
    EVENTS_SECRET: eventsSecret,
    PORT: String(opts.workerPort ?? 9464),
    HOST: '127.0.0.1',
    SAMPLES: String(opts.samples ?? 3),
    VISIBILITY_TIMEOUT: '30',
    // a GGUF file runs on the embedded backend; anything else is an encoder folder (or s3:// prefix)
    ...(opts.model
      ? { MODEL: opts.model, ...(opts.model.endsWith('.gguf') ? { BACKEND: 'embedded' } : {}) }
      : {}),
    ...opts.workerVars,
  }
}

/** The worker process, replaced when it crashes as the container service would; one that keeps
 * crashing (five times in a minute) is reported dead instead of restarted for ever. */
function superviseWorker(env: NodeJS.ProcessEnv, log: Log, h: Health) {
  let worker: ChildProcess | undefined
  let restarts = 0
  const crashes: number[] = []
  const onExit = (proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (h.stopped || h.planned.has('worker') || worker !== proc) return
    const t = Date.now()
    crashes.push(t)
    while (crashes.length && (crashes[0] as number) < t - 60_000) crashes.shift()
    if (crashes.length >= 5) {
      h.partDied(
        'worker',
        `crashed ${crashes.length} times in a minute (last: ${signal ?? `exit ${code}`})`,
      )
      return
    }
    restarts++
    log('worker', `warn exited (${signal ?? `exit ${code}`}): starting a new one`)
    setTimeout(() => {
      if (!h.stopped && worker === proc) start()
    }, 1000)
  }
  const start = () => {
    h.planned.delete('worker')
    const proc = spawn(process.execPath, [join(root, 'inference-gpu', 'main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const lines = lineReader((line) => log('worker', readableLog(line)))
    proc.stdout?.on('data', lines)
    proc.stderr?.on('data', lines)
    proc.once('exit', (code, signal) => onExit(proc, code, signal))
    worker = proc
  }
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const w = worker
    if (!w || !running(w)) return
    // SIGKILL is a crash (the stack restarts the worker); anything else is a stop
    if (signal !== 'SIGKILL') h.planned.add('worker')
    const exited = new Promise((r) => w.once('exit', r))
    w.kill(signal)
    await exited
  }
  // never leave a worker behind: if this process ends without stop(), the worker goes with it
  process.once('exit', () => {
    if (worker && running(worker)) worker.kill('SIGKILL')
  })
  return { start, stop, restarts: () => restarts }
}

/** Calls `onLine` for each whole line of a stream's chunks. */
function lineReader(onLine: (line: string) => void): (chunk: Buffer) => void {
  let buf = ''
  return (chunk) => {
    buf += chunk.toString()
    let nl = buf.indexOf('\n')
    while (nl >= 0) {
      onLine(buf.slice(0, nl))
      buf = buf.slice(nl + 1)
      nl = buf.indexOf('\n')
    }
  }
}

/** The drop folder's object-created events, as S3 would send them; files already announced are
 * kept in the state folder. */
function startDrops(s3: S3Client, sqs: SQSClient, queueUrl: string, stateDir: string, log: Log) {
  const seenPath = join(stateDir, 'drop-seen.json')
  const notifier = startDropNotifier({
    s3,
    sqs,
    bucket: dropBucket,
    prefix: 'drop/',
    queueUrl,
    region,
    seen: new Set(
      existsSync(seenPath) ? (JSON.parse(readFileSync(seenPath, 'utf8')) as string[]) : [],
    ),
    onNotify: (key) => {
      log('drop', `s3://${dropBucket}/${key} -> object-created event on the work queue`)
      writeFileSync(seenPath, JSON.stringify([...notifier.seen]))
    },
  })
  return notifier
}

/** The cron, as Cloudflare would run it (faster locally), and a watch on the edge and the
 * SQS/S3 server: three missed probes in a row report the part dead. Returns the stop. */
function runCronAndWatch(
  edgeUrl: string,
  awsAddress: () => string,
  sweepEverySeconds: number,
  h: Health,
): () => void {
  const sweeper = setInterval(() => {
    fetch(`${edgeUrl}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`).catch(() => {})
  }, sweepEverySeconds * 1000)
  const misses = { edge: 0, 'sqs/s3': 0 }
  const probe = async (part: 'edge' | 'sqs/s3', url: string) => {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await r.arrayBuffer()
      misses[part] = 0
    } catch (e) {
      if (h.planned.has(part)) return
      if (++misses[part] >= 3) h.partDied(part, `no answer at ${url} (${(e as Error).message})`)
    }
  }
  const watch = setInterval(() => {
    void probe('edge', `${edgeUrl}/healthz`)
    void probe('sqs/s3', `${awsAddress()}/${resultsBucket}?max-keys=0`)
  }, 2000)
  sweeper.unref()
  watch.unref()
  return () => {
    clearInterval(sweeper)
    clearInterval(watch)
  }
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? ((source, line) => process.stdout.write(`[${source}] ${line}\n`))
  const stateDir = opts.stateDir ?? localStateDir
  mkdirSync(stateDir, { recursive: true })
  const secrets = localSecrets(stateDir)
  const h = health(log, opts.onPartDied)

  const awsDir = join(stateDir, 'aws')
  mkdirSync(awsDir, { recursive: true })
  const first = await startAws(awsDir, opts.awsPort ?? 4566)
  let aws = first.server
  // a restarted queue server listens on the same port, so the queue URL stays this one
  const queueUrl = first.queueUrl
  const awsPort = Number(new URL(aws.address).port)
  log(
    'aws',
    `SQS and S3 at ${aws.address} (queue radstruct-work, buckets ${resultsBucket}, ${dropBucket})`,
  )

  const edge = await startLocalEdge({
    stateDir,
    port: opts.edgePort ?? 8787,
    vars: edgeVars(opts, aws.address, queueUrl, secrets),
  })
  const edgeUrl = `http://127.0.0.1:${edge.port}`
  log('edge', `API at ${edgeUrl} (reference: ${edgeUrl}/docs)`)
  const site = await localSite(edgeUrl, secrets.adminToken, stateDir)

  const worker = superviseWorker(
    workerEnv(opts, aws.address, queueUrl, edgeUrl, secrets.eventsSecret),
    log,
    h,
  )
  worker.start()
  const s3 = new S3Client({ region, endpoint: aws.address, forcePathStyle: true, credentials })
  const sqs = new SQSClient({ region, endpoint: aws.address, credentials })
  const notifier = startDrops(s3, sqs, queueUrl, stateDir, log)
  const stopWatching = runCronAndWatch(edgeUrl, () => aws.address, opts.sweepEverySeconds ?? 15, h)

  return {
    edgeUrl,
    awsEndpoint: aws.address,
    queueUrl,
    resultsBucket,
    dropBucket,
    adminToken: secrets.adminToken,
    credentials: { ...credentials, region },
    site,
    s3,
    sqs,
    startWorker: worker.start,
    stopWorker: worker.stop,
    workerRestarts: worker.restarts,
    async stopQueueServer() {
      h.planned.add('sqs/s3')
      await aws.stop()
    },
    async startQueueServer() {
      aws = (await startAws(awsDir, awsPort)).server
      h.planned.delete('sqs/s3')
    },
    async stop() {
      h.stopped = true
      stopWatching()
      await notifier.stop()
      await worker.stop('SIGTERM')
      await edge.stop()
      await aws.stop()
    },
  }
}

/** A process killed by a signal has no exit code, only the signal. */
const running = (p: ChildProcess) => p.exitCode === null && p.signalCode === null

/** The local stack's secrets: random, made once per checkout and kept in the state folder. */
function localSecrets(stateDir: string): { adminToken: string; eventsSecret: string } {
  const path = join(stateDir, 'secrets.json')
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'))
  const secrets = {
    adminToken: `local-admin-${randomBytes(24).toString('hex')}`,
    eventsSecret: randomBytes(32).toString('hex'),
  }
  writeFileSync(path, JSON.stringify(secrets), { mode: 0o600 })
  return secrets
}

/** The local site and its API key, made once and kept in the state folder. */
async function localSite(
  edgeUrl: string,
  adminToken: string,
  stateDir: string,
): Promise<{ id: string; key: string }> {
  const path = join(stateDir, 'site.json')
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { id: string; key: string }
    const ok = await fetch(`${edgeUrl}/v1/batches/none`, {
      headers: { authorization: `Bearer ${saved.key}` },
    })
    if (ok.status === 404) return saved
  }
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }
  await fetch(`${edgeUrl}/admin/sites`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: 'local', name: 'Local site' }),
  })
  const k = (await (
    await fetch(`${edgeUrl}/admin/sites/local/keys`, { method: 'POST', headers })
  ).json()) as { key: string }
  const site = { id: 'local', key: k.key }
  writeFileSync(path, JSON.stringify(site))
  return site
}

/** A pino JSON line as one readable line: level, message, and the fields (never report text). */
function readableLog(line: string): string {
  try {
    const {
      level,
      time: _t,
      pid: _p,
      hostname: _h,
      service: _s,
      msg,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>
    const lv = Number(level) >= 50 ? 'ERROR ' : Number(level) >= 40 ? 'warn ' : ''
    const fields = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ')
    return `${lv}${String(msg ?? '')}${fields ? ` ${fields}` : ''}`
  } catch {
    return line
  }
}
