/**
 * The edge under load (`npm run bench`): functions/ run by wrangler's local dev server in workerd
 * (Miniflare) with local D1, R2 and Queues. A 1,000-report NDJSON batch is posted to
 * POST /v1/batches: reports validated and screened per second, and the CPU the workerd process
 * spent on the request (a ceiling on the Worker's CPU time: it includes local D1's SQLite work).
 * Then a ~50 MB batch, streamed: workerd's resident memory before and after shows whether the
 * body is buffered (it is not: the intake reads lines and writes 5 MiB parts to R2).
 */

import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFauxqs } from 'fauxqs'
import { contentHash } from '../core/content-hash.ts'
import { screenReport } from '../core/screen/deid.ts'
import { generateCorpus } from '../distill/synth/index.ts'
import { ndjsonItems, readLines } from '../functions/intake/lines.ts'
import { prepareReport } from '../functions/intake/prepare.ts'
import { startLocalEdge } from '../local/edge.ts'
import { builtinTask } from '../schemas/index.ts'

const task = builtinTask('cmr52')
if (!task) throw new Error('cmr52 missing')
const corpus = generateCorpus(task, { count: 1000, seed: 42 })
const batchBody = (n: number, round: number) => {
  const lines: string[] = []
  for (let i = 0; i < n; i++) {
    const r = corpus[i % corpus.length] as { text: string }
    lines.push(JSON.stringify({ id: `r${round}-${i}`, text: r.text }))
  }
  return `${lines.join('\n')}\n`
}

/** The Worker's own work per batch without its I/O, in Node's V8 (workerd runs the same engine):
 * read lines, parse, validate, screen, hash and encode. */
async function intakeLogicMs(body: string): Promise<number> {
  const start = performance.now()
  const lines = readLines(new Blob([body]).stream(), { maxBytes: 1e9, maxLineBytes: 1 << 20 })
  const encoder = new TextEncoder()
  for await (const item of ndjsonItems(lines)) {
    const p = prepareReport(item, 'reject')
    if ('detail' in p) continue
    const line = JSON.stringify(p.stored)
    contentHash(line)
    encoder.encode(`${line}\n`)
  }
  return performance.now() - start
}
for (let i = 0; i < 3; i++) await intakeLogicMs(batchBody(1000, 0)) // warm-up
let logic = Number.POSITIVE_INFINITY
for (let i = 0; i < 7; i++) logic = Math.min(logic, await intakeLogicMs(batchBody(1000, 0)))
// the screen's share: the same 1,000 report texts screened alone
const texts = corpus.slice(0, 1000).map((r) => (r as { text: string }).text)
let screenMs = Number.POSITIVE_INFINITY
for (let i = 0; i < 7; i++) {
  const start = performance.now()
  for (const t of texts) screenReport(t)
  screenMs = Math.min(screenMs, performance.now() - start)
}

const state = await mkdtemp(join(tmpdir(), 'radstruct-edge-bench-'))
const admin = 'bench-admin-token-0123456789'
// a real local SQS/S3 (in memory): the dispatch after each upload goes somewhere, as in production,
// instead of failing against a closed port and logging errors into the figures
const aws = await startFauxqs({ port: 0, host: 'localhost', logger: false })
aws.createBucket('radstruct-results')
const { queueUrl } = aws.createQueue('radstruct-work')
const worker = await startLocalEdge({
  stateDir: state,
  port: 0,
  vars: {
    SQS_QUEUE_URL: queueUrl,
    SQS_ENDPOINT: aws.address,
    RESULTS_ENDPOINT: aws.address,
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    EVENTS_SECRET: 'bench-events-secret-0123456789',
    ADMIN_TOKEN: admin,
    MAX_REPORTS_PER_BATCH: '1000000',
  },
})

const call = async (path: string, init: RequestInit) => {
  const res = await worker.fetch(path, init as never)
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`)
  return JSON.parse(text) as Record<string, unknown>
}
const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }
await call('/admin/sites', {
  method: 'POST',
  headers,
  body: JSON.stringify({ id: 'bench', name: 'bench' }),
})
const { key } = (await call('/admin/sites/bench/keys', { method: 'POST', headers })) as {
  key: string
}

/** workerd's CPU seconds (user + system) and resident memory, from /proc. */
function workerd(): { cpu: number; rssMiB: number } {
  let cpu = 0
  let rss = 0
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')) continue
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      cpu += (Number(stat[11]) + Number(stat[12])) / 100
      rss +=
        Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
    } catch {
      // process gone
    }
  }
  return { cpu, rssMiB: rss }
}

async function post(body: string) {
  const before = workerd()
  const start = performance.now()
  const r = await call('/v1/batches?task=cmr52', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
    body,
  })
  const ms = performance.now() - start
  const after = workerd()
  return {
    r,
    ms,
    cpuMs: (after.cpu - before.cpu) * 1000,
    rssBefore: before.rssMiB,
    rssAfter: after.rssMiB,
  }
}

await post(batchBody(50, 0)) // warm-up
const runs = []
for (let round = 1; round <= 3; round++) runs.push(await post(batchBody(1000, round)))
const bytes = batchBody(1000, 9).length
const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b))
console.log(
  `edge intake, 1,000 reports (${(bytes / 1e6).toFixed(1)} MB NDJSON): ${best.ms.toFixed(0)} ms wall, ${(1000 / (best.ms / 1000)).toFixed(0)} reports/s validated + screened + stored; workerd CPU ${best.cpuMs.toFixed(0)} ms per request (incl. local D1), ${(best.cpuMs / 1000).toFixed(2)} ms per report`,
)
console.log(
  `edge intake logic alone (parse, validate, screen, hash; no D1/R2): ${logic.toFixed(1)} ms per 1,000 reports, of which the identifier screen ${screenMs.toFixed(1)} ms (${(texts.reduce((a, t) => a + t.length, 0) / 1e3 / screenMs).toFixed(0)} MB/s)`,
)
const perReport = bytes / 1000
const big = batchBody(Math.round((50 * 1024 * 1024) / perReport), 10)
const b = await post(big)
console.log(
  `edge intake, ${(big.length / 1e6).toFixed(0)} MB batch (${b.r.accepted} reports): ${(b.ms / 1000).toFixed(1)} s, ${((b.r.accepted as number) / (b.ms / 1000)).toFixed(0)} reports/s; workerd RSS ${b.rssBefore.toFixed(0)} -> ${b.rssAfter.toFixed(0)} MiB (the body is ${(big.length / 1048576).toFixed(0)} MiB)`,
)
await worker.stop()
await aws.stop()
