/**
 * The worker process end to end, through real parts: fauxqs serves SQS and S3 over HTTP, the
 * worker runs as its own Node process: the embedded backend on the tiny GGUF model for the
 * queue mechanics, and the default, the shipped encoder, for cmr52.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { type FauxqsServer, startFauxqs } from 'fauxqs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { STORED_RESULT_VERSION } from '../../core/contracts.ts'
import { verifyEvent } from '../../core/signing.ts'
import { logRef } from '../../inference-gpu/worker.ts'
import { root } from '../helpers.ts'

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
let sqsServer: FauxqsServer
let s3Server: FauxqsServer
let sqs: SQSClient
let s3: S3Client
let queueUrl: string
let dlqUrl: string
const workers: ChildProcess[] = []

interface Worker {
  proc: ChildProcess
  logs: Record<string, unknown>[]
  port: () => number
  exited: Promise<number | null>
}

function startWorker(extraEnv: Record<string, string> = {}): Worker {
  const logs: Record<string, unknown>[] = []
  const proc = spawn(process.execPath, [join(root, 'inference-gpu', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      QUEUE_URL: queueUrl,
      RESULTS_URI: 's3://results/r',
      BACKEND: 'embedded',
      MODEL: join(root, 'models', 'tiny-random.gguf'),
      TASK: 'cxr14',
      SAMPLES: '1',
      MAX_TOKENS: '600',
      VISIBILITY_TIMEOUT: '6',
      HEARTBEAT_INTERVAL: '2',
      STORE_ATTEMPTS: '3',
      PORT: '0',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      SQS_ENDPOINT_URL: sqsServer.address,
      S3_ENDPOINT_URL: s3Server.address,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  workers.push(proc)
  let buffer = ''
  proc.stdout?.on('data', (d: Buffer) => {
    buffer += d.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const l of lines) if (l.trim()) logs.push(JSON.parse(l))
  })
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  return {
    proc,
    logs,
    exited,
    port: () => (logs.find((l) => l.msg === 'worker started')?.port as number) ?? 0,
  }
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 150))
  }
}

async function keys(prefix = 'r/'): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: 'results', Prefix: prefix }))
  return (out.Contents ?? []).map((c) => c.Key as string).sort()
}

async function getJson(key: string): Promise<Record<string, unknown>> {
  const o = await s3.send(new GetObjectCommand({ Bucket: 'results', Key: key }))
  return JSON.parse((await o.Body?.transformToString()) ?? '')
}

async function queueCounts(url: string): Promise<{ visible: number; inFlight: number }> {
  const a = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  )
  return {
    visible: Number(a.Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible),
  }
}

/** Whether an event the worker sent verifies with the secret (Standard Webhooks headers). */
const signedWith = (
  secret: string,
  e: { headers: Record<string, string | undefined>; body: string },
) =>
  verifyEvent(
    secret,
    {
      id: e.headers['webhook-id'] ?? null,
      timestamp: e.headers['webhook-timestamp'] ?? null,
      signature: e.headers['webhook-signature'] ?? null,
    },
    e.body,
    Date.now() / 1000,
  )

const reportMessage = (reportId: string, text: string, batch = 'b1', task = 'cxr14') =>
  JSON.stringify({
    kind: 'report',
    task,
    ref: { site: 'site-a', batch, report: reportId, siteReportId: `site-${reportId}` },
    report: { id: `site-${reportId}`, text },
  })

/** A multipart upload, as `aws s3 cp` does for a large file (the encoder is 14 MB). */
async function putLarge(bucket: string, key: string, body: Buffer): Promise<void> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))
  const parts: { ETag: string; PartNumber: number }[] = []
  const size = 5 * 1024 * 1024
  for (let at = 0, n = 1; at < body.length || n === 1; at += size, n++) {
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: n,
        Body: body.subarray(at, at + size),
      }),
    )
    parts.push({ ETag: part.ETag as string, PartNumber: n })
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  )
}

const send = (body: string) =>
  sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))

beforeAll(async () => {
  sqsServer = await startFauxqs({ port: 0, logger: false })
  s3Server = await startFauxqs({ port: 0, logger: false })
  s3Server.createBucket('results')
  s3Server.createBucket('uploads')
  const dlq = sqsServer.createQueue('work-dlq')
  dlqUrl = dlq.queueUrl
  queueUrl = sqsServer.createQueue('work', {
    attributes: {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: '3' }),
    },
  }).queueUrl
  sqs = new SQSClient({ region: 'us-east-1', endpoint: sqsServer.address, credentials })
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: s3Server.address,
    forcePathStyle: true,
    credentials,
    // plain bodies: fauxqs does not read the SDK's aws-chunked uploads of large objects (the model)
    requestChecksumCalculation: 'WHEN_REQUIRED',
  })
})

afterEach(async () => {
  for (const w of workers.splice(0)) if (w.exitCode === null) w.kill('SIGKILL')
})

afterAll(async () => {
  await sqsServer?.stop()
  await s3Server?.stop()
})

describe('worker against SQS and S3 (fauxqs)', () => {
  it('processes reports into one result each under site/batch/report, deletes the messages, serves health and metrics', async () => {
    const w = startWorker()
    await send(reportMessage('r1', 'No pneumothorax. Small left pleural effusion.'))
    await send(reportMessage('r2', 'Cardiomegaly with pulmonary edema.'))
    await until('two results', async () =>
      (await keys('r/site-a/b1/')).length === 2 ? true : undefined,
    )
    expect(await keys('r/site-a/b1/')).toEqual(['r/site-a/b1/r1.json', 'r/site-a/b1/r2.json'])
    const r1 = await getJson('r/site-a/b1/r1.json')
    expect(r1).toMatchObject({
      task: 'cxr14',
      site: 'site-a',
      batch: 'b1',
      reportId: 'r1',
      siteReportId: 'site-r1',
      version: STORED_RESULT_VERSION,
      model: { backend: 'embedded' },
    })
    await until('an empty queue', async () => {
      const c = await queueCounts(queueUrl)
      return c.visible === 0 && c.inFlight === 0 ? true : undefined
    })
    await until('the port', () => w.port() || undefined)
    const health = await (await fetch(`http://127.0.0.1:${w.port()}/healthz`)).json()
    expect(health).toMatchObject({ ok: true, inFlight: 0 })
    const metrics = await (await fetch(`http://127.0.0.1:${w.port()}/metrics`)).text()
    expect(metrics).toMatch(/radstruct_reports_total\{outcome="done",task="cxr14"\} 2/)
    expect(metrics).toContain('radstruct_report_seconds_bucket')
    // structured logs, and never the report text
    expect(
      w.logs.some((l) => l.msg === 'report done' && l.ref === logRef('site-a/b1/r1.json')),
    ).toBe(true)
    // report ids and file names never reach the logs: only digests of the keys
    expect(JSON.stringify(w.logs)).not.toContain('r1.json')
    expect(JSON.stringify(w.logs)).not.toContain('pneumothorax')
    w.proc.kill('SIGTERM')
    expect(await w.exited).toBe(0)
  }, 90_000)

  it('on SIGTERM it finishes the report in flight, stores it, and exits 0', async () => {
    const w = startWorker({ SAMPLES: '3' })
    await until('the port', () => w.port() || undefined)
    await send(
      reportMessage('term', 'Possible consolidation. No pneumothorax. Small effusion.', 'b5'),
    )
    await until('a report in flight', async () => {
      const h = (await (await fetch(`http://127.0.0.1:${w.port()}/healthz`)).json()) as {
        inFlight: number
      }
      return h.inFlight > 0 ? true : undefined
    })
    w.proc.kill('SIGTERM')
    expect(await w.exited).toBe(0)
    expect(await keys('r/site-a/b5/')).toEqual(['r/site-a/b5/term.json'])
    expect(
      w.logs.some((l) => l.msg === 'stopping: finishing reports in flight' && l.inFlight === 1),
    ).toBe(true)
  }, 90_000)

  it('fetches an s3:// model once, caches it with its checksum, and sends signed result events', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'uploads',
        Key: 'models/tiny.gguf',
        Body: readFileSync(join(root, 'models', 'tiny-random.gguf')),
      }),
    )
    const cache = mkdtempSync(join(tmpdir(), 'radstruct-models-'))
    const events: { headers: Record<string, string | undefined>; body: string }[] = []
    const receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => {
        body += d
      })
      req.on('end', () => {
        events.push({ headers: req.headers as Record<string, string | undefined>, body })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
    const eventsUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/events`
    try {
      const env = {
        MODEL: 's3://uploads/models/tiny.gguf',
        MODEL_CACHE_DIR: cache,
        EVENTS_URL: eventsUrl,
        EVENTS_SECRET: 'a-secret-of-16-chars',
      }
      const first = startWorker(env)
      await send(reportMessage('m1', 'No effusion.', 'b6'))
      await until('the event', () => (events.length === 1 ? true : undefined))
      expect(first.logs.filter((l) => l.msg === 'model fetched')).toHaveLength(1)
      expect(readdirSync(cache).sort()).toEqual(['tiny.gguf', 'tiny.gguf.sha256'])
      const e = events[0] as { headers: Record<string, string | undefined>; body: string }
      expect(await signedWith('a-secret-of-16-chars', e)).toBe(true)
      expect(JSON.parse(e.body)).toMatchObject({
        type: 'result.stored',
        data: { key: 'site-a/b6/m1.json', task: 'cxr14' },
      })
      first.proc.kill('SIGTERM')
      await first.exited
      const second = startWorker(env)
      await until('the second start', () =>
        second.logs.some((l) => l.msg === 'worker started') ? true : undefined,
      )
      expect(second.logs.some((l) => l.msg === 'model fetched')).toBe(false)
    } finally {
      receiver.close()
    }
  }, 90_000)

  it('a redelivered report is counted once: the stored result is not computed again', async () => {
    const w = startWorker()
    await send(reportMessage('dup', 'No effusion.', 'b2'))
    await until('the first result', async () =>
      (await keys('r/site-a/b2/')).length === 1 ? true : undefined,
    )
    await send(reportMessage('dup', 'No effusion.', 'b2'))
    await until('the redelivery to be skipped', () =>
      w.logs.some((l) => l.msg === 'result already stored: redelivery skipped') ? true : undefined,
    )
    expect(await keys('r/site-a/b2/')).toEqual(['r/site-a/b2/dup.json'])
    expect(
      w.logs.filter((l) => l.msg === 'report done' && l.ref === logRef('site-a/b2/dup.json')),
    ).toHaveLength(1)
  }, 90_000)

  it('a poison message ends in the dead-letter queue, with its reason on record', async () => {
    startWorker()
    const sent = await send('this is not json')
    await until(
      'the dead-letter queue',
      async () => ((await queueCounts(dlqUrl)).visible === 1 ? true : undefined),
      60_000,
    )
    const failure = await getJson(`r/failures/messages/${sent.MessageId}.json`)
    expect(failure).toMatchObject({ reason: 'message body is not JSON', messageId: sent.MessageId })
  }, 90_000)

  it('a dropped file is relayed to the edge, signed, to go through its intake; a refusal is recorded by file', async () => {
    const got: { headers: Record<string, string | undefined>; body: string }[] = []
    let answer = { status: 200, body: '{"batch":"drp_x","fresh":true}' }
    const edge = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => {
        body += d
      })
      req.on('end', () => {
        got.push({ headers: req.headers as Record<string, string | undefined>, body })
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body)
      })
    })
    await new Promise<void>((r) => edge.listen(0, '127.0.0.1', () => r()))
    const eventsUrl = `http://127.0.0.1:${(edge.address() as { port: number }).port}/v1/events`
    const notify = (key: string) =>
      // fauxqs stores objects but sends no notifications: this is the event S3 would send
      send(
        JSON.stringify({
          Records: [
            {
              eventName: 'ObjectCreated:Put',
              s3: { bucket: { name: 'uploads' }, object: { key: key.replace(/ /g, '+') } },
            },
          ],
        }),
      )
    try {
      const w = startWorker({ EVENTS_URL: eventsUrl, EVENTS_SECRET: 'a-secret-of-16-chars' })
      const text = 'Patient: John Smith\nSmall effusion.'
      await s3.send(
        new PutObjectCommand({
          Bucket: 'uploads',
          Key: 'drop/site-b/upload 1.ndjson',
          Body: JSON.stringify({ id: 'd1', text }),
        }),
      )
      await notify('drop/site-b/upload 1.ndjson')
      await until('the relay', () => (got.length === 1 ? true : undefined))
      const e = got[0] as (typeof got)[number]
      expect(await signedWith('a-secret-of-16-chars', e)).toBe(true)
      // where the file is, never what it holds: the edge reads it from the bucket itself
      expect(JSON.parse(e.body)).toEqual({
        type: 'batch.dropped',
        data: {
          site: 'site-b',
          task: 'cxr14',
          bucket: 'uploads',
          key: 'drop/site-b/upload 1.ndjson',
          name: 'upload_1',
        },
      })
      expect(e.body).not.toContain('Smith')
      // the worker itself reads nothing into results: its reports come back as the edge's messages
      expect(await keys('r/site-b/')).toEqual([])
      // a file the edge refuses is recorded by file, with the edge's reason
      answer = {
        status: 422,
        body: JSON.stringify({ detail: 'task: no model serves task cxr14 at this deployment' }),
      }
      await notify('drop/site-b/later.ndjson')
      await until('the refusal on record', async () =>
        (await keys('r/failures/site-b/later/')).length === 1 ? true : undefined,
      )
      expect((await getJson('r/failures/site-b/later/_file.json')).reason).toBe(
        'drop/site-b/later.ndjson: task: no model serves task cxr14 at this deployment',
      )
      // a name that holds an identifier goes by its digest, in the batch name and the logs
      answer = { status: 200, body: '{}' }
      await notify('drop/site-b/SMITH_JOHN_mrn1234567.ndjson')
      await until('the third relay', () => (got.length === 3 ? true : undefined))
      expect(JSON.parse((got[2] as (typeof got)[number]).body).data.name).toMatch(/^withheld-/)
      expect(JSON.stringify(w.logs)).not.toContain('SMITH')
    } finally {
      edge.close()
    }
  }, 90_000)

  it('without an edge to take it, a dropped file is a recorded failure that says so', async () => {
    startWorker()
    await send(
      JSON.stringify({
        Records: [
          {
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: 'uploads' }, object: { key: 'drop/site-c/alone.ndjson' } },
          },
        ],
      }),
    )
    await until('the failure on record', async () =>
      (await keys('r/failures/site-c/')).length === 1 ? true : undefined,
    )
    expect((await getJson('r/failures/site-c/alone/_file.json')).reason).toBe(
      'drop/site-c/alone.ndjson: the drop folder needs the edge (set EVENTS_URL and EVENTS_SECRET)',
    )
  }, 90_000)

  it('a worker killed mid-report is replaced and every report still ends with exactly one result', async () => {
    const first = startWorker()
    for (const id of ['k1', 'k2', 'k3'])
      await send(
        reportMessage(id, 'Possible right lower lobe consolidation. No pneumothorax.', 'b3'),
      )
    await until('a report in flight', () =>
      first.logs.some((l) => l.msg === 'worker started') ? true : undefined,
    )
    await new Promise((r) => setTimeout(r, 300))
    first.proc.kill('SIGKILL')
    await first.exited
    startWorker()
    await until(
      'three results',
      async () => ((await keys('r/site-a/b3/')).length === 3 ? true : undefined),
      60_000,
    )
    await until(
      'an empty queue',
      async () => {
        const c = await queueCounts(queueUrl)
        return c.visible === 0 && c.inFlight === 0 ? true : undefined
      },
      60_000,
    )
    expect(await keys('r/site-a/b3/')).toEqual([
      'r/site-a/b3/k1.json',
      'r/site-a/b3/k2.json',
      'r/site-a/b3/k3.json',
    ])
  }, 120_000)

  it('when the store refuses writes for a while, the report waits on the queue and lands once it is back', async () => {
    // a store nobody listens on yet: every write is refused
    const s3Port = 20000 + Math.floor(Math.random() * 20000)
    const w = startWorker({ S3_ENDPOINT_URL: `http://127.0.0.1:${s3Port}` })
    const deadBefore = (await queueCounts(dlqUrl)).visible
    await send(reportMessage('late', 'No effusion.', 'b4'))
    await until(
      'a refused write',
      () =>
        w.logs.some((l) => l.msg === 'report failed' || l.msg === 'message left on the queue')
          ? true
          : undefined,
      60_000,
    )
    const store = await startFauxqs({ port: s3Port, logger: false })
    try {
      store.createBucket('results')
      const s3b = new S3Client({
        region: 'us-east-1',
        endpoint: store.address,
        forcePathStyle: true,
        credentials,
      })
      await until(
        'the result',
        async () => {
          const out = await s3b.send(
            new ListObjectsV2Command({ Bucket: 'results', Prefix: 'r/site-a/b4/' }),
          )
          return out.Contents?.length === 1 ? true : undefined
        },
        60_000,
      )
      expect((await queueCounts(dlqUrl)).visible).toBe(deadBefore)
    } finally {
      await store.stop()
    }
  }, 120_000)
})

describe('worker with the default encoder (fauxqs)', () => {
  const cmrMessage = (reportId: string, text: string, batch: string, task = 'cmr52') =>
    reportMessage(reportId, text, batch, task)
  const sampleText = (id: string) =>
    readFileSync(join(root, 'examples', 'samples', 'cmr52', `${id}.txt`), 'utf8')
  const sampleGold = (id: string) =>
    JSON.parse(readFileSync(join(root, 'examples', 'samples', 'cmr52', `${id}.json`), 'utf8'))

  it('reads the reports of a receive (coalesced into batched session calls) and stores one right result each, from an s3:// model folder', async () => {
    for (const f of ['encoder.json', 'encoder.onnx', 'heads.onnx'])
      await putLarge(
        'uploads',
        `models/enc/${f}`,
        readFileSync(join(root, 'models', 'encoder-cmr52', f)),
      )
    const cache = mkdtempSync(join(tmpdir(), 'radstruct-models-'))
    const ids = ['001', '002', '003', '004', '005', '006']
    for (const id of ids) await send(cmrMessage(id, sampleText(id), 'enc1'))
    const w = startWorker({
      BACKEND: 'encoder',
      MODEL: 's3://uploads/models/enc/',
      MODEL_CACHE_DIR: cache,
      TASK: 'cmr52',
      SAMPLES: '3',
      BATCH_WINDOW_MS: '20',
    })
    await until('six results', async () =>
      (await keys('r/site-a/enc1/')).length === 6 ? true : undefined,
    )
    expect(readdirSync(join(cache, 'enc')).sort()).toEqual([
      'encoder.json',
      'encoder.json.sha256',
      'encoder.onnx',
      'encoder.onnx.sha256',
      'heads.onnx',
      'heads.onnx.sha256',
    ])
    let right = 0
    let total = 0
    for (const id of ids) {
      const r = await getJson(`r/site-a/enc1/${id}.json`)
      expect(r).toMatchObject({ model: { backend: 'encoder' }, sampling: { samples: 3 } })
      const gold = sampleGold(id)
      for (const k of Object.keys(gold)) {
        total++
        if ((r.values as Record<string, unknown>)[k] === gold[k]) right++
      }
    }
    expect(right / total).toBeGreaterThan(0.9)
    w.proc.kill('SIGTERM')
    expect(await w.exited).toBe(0)
  }, 120_000)

  it('serves cxr14 and cmr52 from one queue with the shipped encoders, each report read by its own task model', async () => {
    const cxr = (id: string) => join(root, 'examples', 'samples', 'cxr14', id)
    const ids = ['001', '002', '003', '005', '009', '014']
    for (const id of ids)
      await send(cmrMessage(id, readFileSync(cxr(`${id}.txt`), 'utf8'), 'cxr1', 'cxr14'))
    await send(cmrMessage('c1', sampleText('002'), 'cxr1', 'cmr52'))
    // the shipped folder of encoders, as the worker loads it when no model is named
    const w = startWorker({
      BACKEND: 'encoder',
      MODEL: join(root, 'models'),
      SAMPLES: '3',
      BATCH_WINDOW_MS: '20',
    })
    await until('seven results', async () =>
      (await keys('r/site-a/cxr1/')).length === 7 ? true : undefined,
    )
    let right = 0
    let mentioned = 0
    for (const id of ids) {
      const r = await getJson(`r/site-a/cxr1/${id}.json`)
      expect(r).toMatchObject({
        task: 'cxr14',
        model: { backend: 'encoder', name: 'encoder-cxr14' },
      })
      const gold = JSON.parse(readFileSync(cxr(`${id}.json`), 'utf8')) as Record<string, unknown>
      const values = r.values as Record<string, unknown>
      expect(Object.keys(values).sort()).toEqual(Object.keys(gold).sort())
      for (const [k, g] of Object.entries(gold)) {
        if (g === null) continue
        mentioned++
        if (values[k] === g) right++
      }
      // every stated status carries its evidence: a span of the report
      for (const [k, v] of Object.entries(values))
        if (v !== null && k !== 'No Finding')
          expect((r.evidence as Record<string, unknown>)[k]).toMatchObject({
            start: expect.any(Number),
          })
    }
    expect(right / mentioned).toBeGreaterThan(0.85)
    const c = await getJson('r/site-a/cxr1/c1.json')
    expect(c).toMatchObject({ task: 'cmr52', model: { name: 'encoder-cmr52' } })
    w.proc.kill('SIGTERM')
    expect(await w.exited).toBe(0)
  }, 120_000)

  it('records a report of a task no model serves as a final failure, without retrying it', async () => {
    const w = startWorker({
      BACKEND: 'encoder',
      MODEL: join(root, 'models', 'encoder-cmr52'),
      TASK: 'cmr52',
    })
    await send(cmrMessage('x1', 'No effusion.', 'enc2', 'cxr14'))
    await until('the failure record', async () =>
      (await keys('r/failures/site-a/enc2/')).length === 1 ? true : undefined,
    )
    const f = await getJson('r/failures/site-a/enc2/x1.json')
    expect(f.reason).toContain('no model serves task cxr14')
    expect(f.attempt).toBe(1)
    await until('an empty queue', async () => {
      const c = await queueCounts(queueUrl)
      return c.visible === 0 && c.inFlight === 0 ? true : undefined
    })
    expect(await keys('r/site-a/enc2/')).toEqual([])
    w.proc.kill('SIGTERM')
    await w.exited
  }, 90_000)
})
