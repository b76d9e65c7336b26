/**
 * The whole system as a user runs it (local/stack.ts, what `npm start` starts): the edge in workerd,
 * SQS/S3 over HTTP (fauxqs), the worker process with the shipped encoder, the drop-folder
 * notifier. Driven over HTTP, with the site CLI, and with the AWS CLI for the drop folder.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../../local/stack.ts'
import { runCli } from '../helpers.ts'
import { systemParts } from '../system-parts.ts'

let stack: Stack
// the AWS CLI (Debian's awscli; .ci/run installs it): without it this test is reported as skipped
const awsCli = systemParts.awsCli.find() !== undefined
const logs: string[] = []
const tmp = () => mkdtempSync(join(tmpdir(), 'radstruct-e2e-'))
const report = (i: number) =>
  `CARDIAC MRI\nLV end-diastolic volume ${140 + i} ml, end-systolic volume ${60 + i} ml, ejection fraction ${57 - i} %.\nRV ejection fraction ${55 + i} %.`

beforeAll(async () => {
  stack = await startStack({
    awsPort: 0,
    edgePort: 0,
    workerPort: 0,
    stateDir: tmp(),
    samples: 0,
    log: (source, line) => logs.push(`[${source}] ${line}`),
  })
}, 120_000)
afterAll(async () => {
  await stack?.stop()
})

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${stack.edgeUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${stack.site.key}`,
      ...(init.headers as Record<string, string>),
    },
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 240_000,
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}\n${logs.slice(-20).join('\n')}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}
interface Counts {
  done: number
  failed: number
  queued: number
}
const counts = async (batch: string) => (await api(`/v1/batches/${batch}`)).body.counts as Counts
const done = (batch: string, n: number) =>
  until(`${n} reports done in ${batch}`, async () => {
    const c = await counts(batch)
    return c.done + c.failed >= n ? c : undefined
  })
const resultKeys = async (prefix: string) =>
  (
    (await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.resultsBucket, Prefix: prefix })))
      .Contents ?? []
  ).map((o) => o.Key)
const cli = (...args: string[]) => runCli(...args, '--url', stack.edgeUrl, '--key', stack.site.key)

describe('the local stack end to end', () => {
  it('site CLI: upload a folder, follow it, get the results as CSV; identifiers are refused by report', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'a.txt'), report(1))
    writeFileSync(join(dir, 'b.txt'), report(2))
    writeFileSync(join(dir, 'c.txt'), `Patient: Jane Roe\n${report(3)}`)
    const up = await cli('upload', dir, '--task', 'cmr52', '--wait')
    // 3: it ran, and some reports were refused
    expect(up.code, up.err).toBe(3)
    expect(up.out).toContain('c: identifiers found: name on line 1')
    expect(up.out).not.toContain('Jane')
    const batch = /(bat_\w+): 2 accepted, 1 refused, 0 queued, 2 done/.exec(up.out)?.[1]
    expect(batch, up.out).toBeDefined()
    const out = join(tmp(), 'results.csv')
    const res = await cli('results', batch as string, '--format', 'csv', '-o', out)
    expect(res.code, res.err).toBe(0)
    const rows = readFileSync(out, 'utf8').trim().split('\r\n')
    expect(rows).toHaveLength(3)
    expect(
      rows
        .slice(1)
        .map((r) => r.split(',')[0])
        .sort(),
    ).toEqual(['a', 'b'])
    // the same batch as FHIR and Parquet, through the API's stream and the local converter
    const fhir = join(tmp(), 'batch.fhir.json')
    expect((await cli('results', batch as string, '--format', 'fhir', '-o', fhir)).code).toBe(0)
    const bundle = JSON.parse(readFileSync(fhir, 'utf8')) as {
      entry: { resource: { resourceType: string } }[]
    }
    expect(bundle.entry.filter((e) => e.resource.resourceType === 'DiagnosticReport')).toHaveLength(
      2,
    )
    const parquet = join(tmp(), 'batch.parquet')
    const pq = await cli('results', batch as string, '--format', 'parquet', '-o', parquet)
    expect(pq.code, pq.err).toBe(0)
    expect(pq.out).toContain('2 report(s)')
    // the same upload again sends nothing new
    const again = await cli('upload', dir, '--task', 'cmr52')
    expect(again.out).toContain(`${batch}: 2 accepted`)
  }, 300_000)

  it('cxr14 and bonemets3 uploads get real answers from the shipped encoders', async () => {
    for (const [t, ids] of [
      ['cxr14', ['001', '003', '007', '012']],
      ['bonemets3', ['001', '005', '010']],
    ] as const) {
      const dir = tmp()
      const samples = join(import.meta.dirname, '..', '..', 'examples', 'samples', t)
      for (const id of ids)
        writeFileSync(join(dir, `${id}.txt`), readFileSync(join(samples, `${id}.txt`)))
      const up = await cli('upload', dir, '--task', t, '--wait')
      expect(up.code, up.err).toBe(0)
      const batch = new RegExp(
        `(bat_\\w+): ${ids.length} accepted, 0 refused, 0 queued, ${ids.length} done`,
      ).exec(up.out)?.[1]
      expect(batch, up.out).toBeDefined()
      const out = join(tmp(), 'results.ndjson')
      expect((await cli('results', batch as string, '--format', 'ndjson', '-o', out)).code).toBe(0)
      const rows = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      let right = 0
      let mentioned = 0
      for (const row of rows) {
        expect(row.status).toBe('done')
        const gold = JSON.parse(readFileSync(join(samples, `${row.id}.json`), 'utf8')) as Record<
          string,
          unknown
        >
        const values = row.result.values as Record<string, unknown>
        expect(row.result.model.name).toBe(`encoder-${t}`)
        for (const [k, g] of Object.entries(gold)) {
          if (g === null) continue
          mentioned++
          if (values[k] === g) right++
        }
      }
      expect(rows).toHaveLength(ids.length)
      expect(right / mentioned, `${t}: ${right} of ${mentioned}`).toBeGreaterThan(0.8)
    }
  }, 300_000)

  it('a wrong key: one line that says so before any progress, exit 2', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'ok.txt'), report(4))
    const r = await runCli(
      'upload',
      dir,
      '--task',
      'cmr52',
      '--url',
      stack.edgeUrl,
      '--key',
      'rsk_wrong',
    )
    expect(r.code).toBe(2)
    expect(r.err).not.toMatch(/\d+\/\d+ \(\d+ %\)/)
    expect(r.err).toMatch(/401|key|token|unauthori[sz]ed/i)
    expect(r.err.trim().split('\n').length).toBeLessThanOrEqual(2)
  })

  it('bad files get a clear message each and nothing is sent', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]))
    writeFileSync(join(dir, 'empty.txt'), '  \n')
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from('R\xe9sum\xe9: FEVG 55 %', 'latin1'))
    writeFileSync(join(dir, 'huge.txt'), 'LVEF 55 %. '.repeat(20_000))
    writeFileSync(join(dir, 'ok.txt'), report(4))
    const r = await cli('upload', dir, '--task', 'cmr52')
    expect(r.code).toBe(2)
    expect(r.err).toContain('binary.txt: a binary file, not a text report')
    expect(r.err).toContain('empty.txt: empty file')
    expect(r.err).toContain('latin1.txt: not UTF-8 text')
    expect(r.err).toMatch(/huge\.txt.*220,000 characters, over the limit of 200,000: split it/)
    expect(r.err).toContain('nothing sent')
  })

  it.runIf(awsCli)(
    'drop folder: a file put with the AWS CLI becomes a batch in the API and results under the results prefix',
    async () => {
      const dir = tmp()
      const file = join(dir, 'ward 7.ndjson')
      writeFileSync(
        file,
        `${JSON.stringify({ id: 'd1', text: report(5) })}\n${JSON.stringify({ id: 'd2', text: report(6) })}\n`,
      )
      // asynchronously: the S3 server runs in this process
      const aws = await promisify(execFile)(
        'aws',
        [
          '--endpoint-url',
          stack.awsEndpoint,
          's3',
          'cp',
          file,
          `s3://${stack.dropBucket}/drop/local/2026-11/ward 7.ndjson`,
        ],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_DEFAULT_REGION: 'us-east-1',
          },
        },
      )
      expect(aws.stdout).toContain('upload:')
      const list = await until('the dropped batch', async () => {
        const b = (await api('/v1/batches')).body.batches as { id: string; accepted: number }[]
        // counted once the edge's intake has read it through
        return b.some((x) => x.id.startsWith('drp_') && x.accepted > 0) ? b : undefined
      })
      const dropped = list.find((b) => b.id.startsWith('drp_'))
      expect(dropped?.accepted).toBe(2)
      // its results lie where an upload's do: site / the edge's batch / the edge's report
      const keys = await until('two results from the drop', async () => {
        const k = await resultKeys(`local/${dropped?.id}/`)
        return k.length >= 2 ? k : undefined
      })
      for (const k of keys) expect(k).toMatch(new RegExp(`^local/${dropped?.id}/rpt_\\w+\\.json$`))
      expect(await done(dropped?.id as string, 2)).toMatchObject({ done: 2, failed: 0 })
    },
    300_000,
  )

  it('webhook-triggered extraction delivers a signed result to the callback', async () => {
    const got: { verified: boolean; body: string }[] = []
    let secret = ''
    const receiver: Server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () => {
        let verified = false
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>)
          verified = true
        } catch {}
        got.push({ verified, body })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    try {
      const port = (receiver.address() as AddressInfo).port
      const r = await api('/v1/extract', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          task: 'cmr52',
          reports: [{ id: 'x1', text: report(7) }],
          callbackUrl: `http://127.0.0.1:${port}/cb`,
        }),
      })
      expect(r.status).toBe(202)
      secret = r.body.callbackSecret as string
      const [d] = await until('the callback', async () => (got.length ? got : undefined))
      expect(d?.verified).toBe(true)
      const payload = JSON.parse(d?.body ?? '{}')
      expect(payload.type).toBe('extract.completed')
      expect(payload.data.results[0]).toMatchObject({
        id: 'x1',
        status: 'done',
        result: { task: 'cmr52' },
      })
    } finally {
      receiver.close()
    }
  }, 300_000)

  it('a worker killed in the middle of a batch is restarted: nothing lost, nothing twice', async () => {
    const lines = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ id: `k${i}`, text: report(10 + i) }),
    )
    const r = await api('/v1/batches?task=cmr52', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${lines.join('\n')}\n`,
    })
    const batch = r.body.batch as string
    await until('a first result', async () => ((await counts(batch)).done >= 1 ? true : undefined))
    await stack.stopWorker('SIGKILL')
    stack.startWorker()
    expect(await done(batch, 6)).toMatchObject({ done: 6, failed: 0, queued: 0 })
    expect(await resultKeys(`local/${batch}/`)).toHaveLength(6)
    const page = (await api(`/v1/batches/${batch}/results`)).body.results as {
      id: string
      status: string
    }[]
    expect(page.map((p) => p.id).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5'])
  }, 400_000)
})
