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
import { startFauxqs } from 'fauxqs'
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

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? ((source, line) => process.stdout.write(`[${source}] ${line}\n`))
  const stateDir = opts.stateDir ?? localStateDir
  mkdirSync(stateDir, { recursive: true })
  const { adminToken, eventsSecret } = localSecrets(stateDir)

  // queues and objects persist beside D1's state: a restart loses no queued message, no result
  const awsDir = join(stateDir, 'aws')
  mkdirSync(awsDir, { recursive: true })
  const resultsBucket = 'radstruct-results'
  const dropBucket = 'radstruct-drop'
  const startAws = async (port: number) => {
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
  const first = await startAws(opts.awsPort ?? 4566)
  let aws = first.server
  // a restarted queue server listens on the same port, so the queue URL stays this one
  const queueUrl = first.queueUrl
  const awsPort = Number(new URL(aws.address).port)
  // parts stopped on purpose (a stop, a test's fault) are not reported as dead
  const planned = new Set<string>()
  let stopped = false
  let died = false
  const partDied = (part: 'edge' | 'sqs/s3' | 'worker', why: string) => {
    if (stopped || died || planned.has(part)) return
    died = true
    log(part, `ERROR stopped unexpectedly: ${why}`)
    opts.onPartDied?.(part, why)
  }
  log(
    'aws',
    `SQS and S3 at ${aws.address} (queue radstruct-work, buckets ${resultsBucket}, ${dropBucket})`,
  )

  // the edge refuses uploads of a task the worker's encoders do not serve (a GGUF model takes any)
  const served = opts.model?.endsWith('.gguf')
    ? undefined
    : opts.model?.startsWith('s3://')
      ? undefined
      : encoderTasks(opts.model ?? referenceModelsDir)
  const edge = await startLocalEdge({
    stateDir,
    port: opts.edgePort ?? 8787,
    vars: {
      SQS_QUEUE_URL: queueUrl,
      SQS_ENDPOINT: aws.address,
      RESULTS_ENDPOINT: aws.address,
      RESULTS_BUCKET: resultsBucket,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      EVENTS_SECRET: eventsSecret,
      ADMIN_TOKEN: adminToken,
      ALLOW_HTTP_WEBHOOKS: 'true',
      WEBHOOK_BACKOFF_SECONDS: '2',
      // the sweeper's timings, scaled to a local run (the worker's maxReceiveCount 5 x its
      // visibility timeout of 30 s is under the queue lifetime)
      RECONCILE_AFTER_SECONDS: '20',
      PENDING_AFTER_SECONDS: '20',
      QUEUED_LIFETIME_SECONDS: '300',
      ...(served ? { SERVED_TASKS: served.join(',') } : {}),
      ...opts.edgeVars,
    },
  })
  const edgeUrl = `http://127.0.0.1:${edge.port}`
  log('edge', `API at ${edgeUrl} (reference: ${edgeUrl}/docs)`)

  const site = await localSite(edgeUrl, adminToken, stateDir)

  const workerEnv = {
    ...process.env,
    QUEUE_URL: queueUrl,
    RESULTS_URI: `s3://${resultsBucket}/`,
    AWS_ENDPOINT_URL: aws.address,
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
  let worker: ChildProcess | undefined
  let restarts = 0
  const crashes: number[] = []
  const startWorker = () => {
    planned.delete('worker')
    const proc = spawn(process.execPath, [join(root, 'inference-gpu', 'main.ts')], {
      cwd: root,
      env: workerEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let buf = ''
    const onData = (chunk: Buffer) => {
      buf += chunk.toString()
      let nl = buf.indexOf('\n')
      while (nl >= 0) {
        log('worker', readableLog(buf.slice(0, nl)))
        buf = buf.slice(nl + 1)
        nl = buf.indexOf('\n')
      }
    }
    proc.stdout?.on('data', onData)
    proc.stderr?.on('data', onData)
    // a crashed worker is replaced, as the container service would; one that keeps crashing
    // (five times in a minute) is reported dead instead of restarted for ever
    proc.once('exit', (code, signal) => {
      if (stopped || planned.has('worker') || worker !== proc) return
      const t = Date.now()
      crashes.push(t)
      while (crashes.length && (crashes[0] as number) < t - 60_000) crashes.shift()
      if (crashes.length >= 5) {
        partDied(
          'worker',
          `crashed ${crashes.length} times in a minute (last: ${signal ?? `exit ${code}`})`,
        )
        return
      }
      restarts++
      log('worker', `warn exited (${signal ?? `exit ${code}`}): starting a new one`)
      setTimeout(() => {
        if (!stopped && worker === proc) startWorker()
      }, 1000)
    })
    worker = proc
  }
  const stopWorker = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const w = worker
    if (!w || !running(w)) return
    // SIGKILL is a crash (the stack restarts the worker); anything else is a stop
    if (signal !== 'SIGKILL') planned.add('worker')
    const exited = new Promise((r) => w.once('exit', r))
    w.kill(signal)
    await exited
  }
  startWorker()
  // never leave a worker behind: if this process ends without stop(), the worker goes with it
  process.once('exit', () => {
    if (worker && running(worker)) worker.kill('SIGKILL')
  })

  const s3 = new S3Client({ region, endpoint: aws.address, forcePathStyle: true, credentials })
  const sqs = new SQSClient({ region, endpoint: aws.address, credentials })
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

  // the cron, as Cloudflare would run it (faster locally), and a watch on the parts
  const sweepEvery = (opts.sweepEverySeconds ?? 15) * 1000
  const sweeper = setInterval(() => {
    fetch(`${edgeUrl}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`).catch(() => {})
  }, sweepEvery)
  const misses = { edge: 0, 'sqs/s3': 0 }
  const probe = async (part: 'edge' | 'sqs/s3', url: string) => {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await r.arrayBuffer()
      misses[part] = 0
    } catch (e) {
      if (planned.has(part)) return
      if (++misses[part] >= 3) partDied(part, `no answer at ${url} (${(e as Error).message})`)
    }
  }
  const watch = setInterval(() => {
    void probe('edge', `${edgeUrl}/healthz`)
    void probe('sqs/s3', `${aws.address}/${resultsBucket}?max-keys=0`)
  }, 2000)
  sweeper.unref()
  watch.unref()

  return {
    edgeUrl,
    awsEndpoint: aws.address,
    queueUrl,
    resultsBucket,
    dropBucket,
    adminToken,
    credentials: { ...credentials, region },
    site,
    s3,
    sqs,
    startWorker,
    stopWorker,
    workerRestarts: () => restarts,
    async stopQueueServer() {
      planned.add('sqs/s3')
      await aws.stop()
    },
    async startQueueServer() {
      aws = (await startAws(awsPort)).server
      planned.delete('sqs/s3')
    },
    async stop() {
      stopped = true
      clearInterval(sweeper)
      clearInterval(watch)
      await notifier.stop()
      await stopWorker('SIGTERM')
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
