/**
 * The fault suite, on the real local stack (workerd edge, fauxqs SQS/S3, the worker process with
 * the shipped encoder). One run goes through every fault an operator meets:
 *  - kill -9 of the worker mid-batch (the stack starts a new one; SQS redelivers its message),
 *  - a restart of the whole stack mid-batch (queues, objects and D1 persist in the state folder),
 *  - the SQS/S3 server stopped during an upload and brought back (the dispatch retries; the
 *    sweeper re-dispatches what stayed pending),
 *  - one result event lost on the network (the sweeper finds the stored result),
 *  - a repeated id in one batch (the later line is refused by number).
 * Afterwards every accepted report has exactly one result or a visible failure.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { afterAll, describe, expect, it } from 'vitest'
import { type Stack, type StackOptions, startStack } from '../../local/stack.ts'
import { root } from '../helpers.ts'

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })

/** Between the worker and the edge: forwards events, but loses the first result.stored one, as
 * a network would (the worker sees a 502 and goes on). */
function lossyEventsProxy(
  edgePort: number,
): Promise<{ server: Server; url: string; lost: () => number }> {
  let lost = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      if (lost === 0 && body.toString().includes('"result.stored"')) {
        lost++
        res.writeHead(502).end()
        return
      }
      try {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            ([k]) => k.startsWith('webhook-') || k === 'content-type',
          ),
        ) as Record<string, string>
        const r = await fetch(`http://127.0.0.1:${edgePort}${req.url}`, {
          method: 'POST',
          headers,
          body,
        })
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' })
        res.end(Buffer.from(await r.arrayBuffer()))
      } catch {
        res.writeHead(503).end()
      }
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`,
        lost: () => lost,
      }),
    ),
  )
}

const samples = join(root, 'examples', 'samples', 'cmr52')
const texts = readdirSync(samples)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(samples, f), 'utf8'))
const reports = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${String(i + 1).padStart(3, '0')}`,
    text: texts[i % texts.length] as string,
  }))

const logs: string[] = []
let stack: Stack | undefined
let proxy: Server | undefined
afterAll(async () => {
  await stack?.stop()
  proxy?.close()
})

interface Counts {
  accepted: number
  rejected: number
  done: number
  failed: number
  queued: number
  pending?: number
}

describe('the fault suite', () => {
  it('every accepted report ends with exactly one result or a visible failure, through crashes, restarts, a queue outage, a lost event and a repeated id', async () => {
    const edgePort = await freePort()
    const lossy = await lossyEventsProxy(edgePort)
    proxy = lossy.server
    const opts: StackOptions = {
      awsPort: await freePort(),
      edgePort,
      workerPort: 0,
      stateDir: mkdtempSync(join(tmpdir(), 'radstruct-faults-')),
      samples: 1,
      eventsUrl: lossy.url,
      sweepEverySeconds: 2,
      edgeVars: {
        RECONCILE_AFTER_SECONDS: '3',
        PENDING_AFTER_SECONDS: '4',
        QUEUED_LIFETIME_SECONDS: '120',
      },
      workerVars: { VISIBILITY_TIMEOUT: '6', HEARTBEAT_INTERVAL: '2' },
      log: (s, l) => {
        logs.push(`[${s}] ${l}`)
        if (process.env.FAULTS_LOG)
          appendFileSync(process.env.FAULTS_LOG, `${new Date().toISOString()} [${s}] ${l}\n`)
      },
      onPartDied: (part, why) => logs.push(`DIED ${part}: ${why}`),
    }
    const s0 = await startStack(opts)
    stack = s0
    const call = async (method: string, path: string, body?: string) => {
      const r = await fetch(`${(stack as Stack).edgeUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${s0.site.key}`, 'content-type': 'application/x-ndjson' },
        ...(body ? { body } : {}),
      })
      return { status: r.status, json: (await r.json()) as Record<string, unknown> }
    }
    const upload = async (rs: { id: string; text: string }[]) => {
      const r = await call(
        'POST',
        '/v1/batches?task=cmr52',
        `${rs.map((x) => JSON.stringify(x)).join('\n')}\n`,
      )
      expect(r.status, JSON.stringify(r.json)).toBe(202)
      return r.json as {
        batch: string
        accepted: number
        rejections: { line: number; detail: string }[]
      }
    }
    const counts = async (batch: string) =>
      (await call('GET', `/v1/batches/${batch}`)).json.counts as Counts
    const until = async (what: string, ok: () => Promise<boolean>, ms = 120_000) => {
      const end = Date.now() + ms
      while (!(await ok().catch(() => false))) {
        if (Date.now() > end) throw new Error(`timed out: ${what}\n${logs.slice(-40).join('\n')}`)
        await new Promise((r) => setTimeout(r, 500))
      }
    }

    // a batch with a repeated id: the later line is refused, by number
    const a = reports('a', 30)
    const A = await upload([...a, { id: 'a005', text: texts[1] as string }])
    expect(A.accepted).toBe(30)
    expect(A.rejections).toEqual([
      { line: 31, report: 'a005', detail: expect.stringMatching(/repeats line 5/) },
    ])

    // kill -9 of the worker mid-batch: a new one starts by itself
    await until('first results', async () => (await counts(A.batch)).done >= 2)
    opts.log?.('test', 'kill -9 worker')
    await s0.stopWorker('SIGKILL')
    opts.log?.('test', 'kill -9 worker: done')
    await until('the worker restarted', async () => s0.workerRestarts() >= 1, 10_000)

    // the whole stack restarted mid-batch
    await until('more results', async () => (await counts(A.batch)).done >= 8)
    opts.log?.('test', 'stack stop')
    await s0.stop()
    opts.log?.('test', 'stack stop: done')
    opts.log?.('test', 'stack start')
    stack = await startStack(opts)
    opts.log?.('test', 'stack start: done')

    // the queue server down during an upload, then back
    opts.log?.('test', 'queue server stop')
    await stack.stopQueueServer()
    opts.log?.('test', 'queue server stop: done')
    opts.log?.('test', 'upload B')
    const B = await upload(reports('b', 10))
    opts.log?.('test', 'upload B: done')
    await new Promise((r) => setTimeout(r, 3000))
    opts.log?.('test', 'queue server start')
    await stack.startQueueServer()
    opts.log?.('test', 'queue server start: done')

    for (const batch of [A.batch, B.batch])
      await until(
        `batch ${batch} settles`,
        async () => {
          const c = await counts(batch)
          return c.done + c.failed === c.accepted
        },
        240_000,
      )

    const table: Record<string, Counts & { stored: number; results: number; distinct: number }> = {}
    for (const [name, batch] of [
      ['A', A.batch],
      ['B', B.batch],
    ] as const) {
      const c = await counts(batch)
      const listed = await stack.s3.send(
        new ListObjectsV2Command({
          Bucket: stack.resultsBucket,
          Prefix: `${stack.site.id}/${batch}/`,
        }),
      )
      const page = (await call('GET', `/v1/batches/${batch}/results?format=json&limit=100`))
        .json as {
        results: { id: string; status: string; result?: object }[]
      }
      const rows = page.results.filter((r) => r.status === 'done' && r.result)
      table[name] = {
        ...c,
        stored: listed.KeyCount ?? 0,
        results: rows.length,
        distinct: new Set(rows.map((r) => r.id)).size,
      }
    }
    console.log('fault suite counts (per batch):')
    console.table(table)
    console.log(
      `worker restarts after kill -9: ${s0.workerRestarts()}; result events lost: ${lossy.lost()}`,
    )
    expect(lossy.lost()).toBe(1)
    for (const row of Object.values(table)) {
      // nothing lost, nothing twice: every accepted report is done (one stored object, one row) or failed
      expect(row.done + row.failed).toBe(row.accepted)
      expect(row.stored).toBe(row.done)
      expect(row.results).toBe(row.done)
      expect(row.distinct).toBe(row.results)
      expect(row.failed).toBe(0)
    }
    expect(table.A?.accepted).toBe(30)
    expect(table.B?.accepted).toBe(10)
    expect(logs.filter((l) => l.startsWith('DIED'))).toEqual([])

    // a worker that keeps crashing is not restarted for ever: the stack names the part that died
    const s1 = stack
    for (let i = 0; i < 5; i++) {
      await until('a worker to crash', async () => s1.workerRestarts() >= i, 15_000)
      await new Promise((r) => setTimeout(r, 1500))
      await s1.stopWorker('SIGKILL')
    }
    await until(
      'the dead worker reported',
      async () => logs.some((l) => l.startsWith('DIED worker')),
      15_000,
    )
    expect(logs.find((l) => l.startsWith('DIED'))).toMatch(
      /^DIED worker: crashed 5 times in a minute/,
    )
  }, 600_000)
})
