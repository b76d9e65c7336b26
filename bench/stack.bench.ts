/**
 * The whole local stack (`npm run bench:stack`, not part of `npm run bench`: it takes minutes):
 * wall time from a cold start to the first result, and a 200-report batch (synthetic CMR reports)
 * through edge, queue, worker (reference student, K = 3) and back, in reports per second.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateCorpus } from '../distill/synth/index.ts'
import { startStack } from '../local/stack.ts'
import { builtinTask } from '../schemas/index.ts'

const t0 = performance.now()
const stack = await startStack({
  awsPort: 0,
  edgePort: 0,
  workerPort: 0,
  stateDir: mkdtempSync(join(tmpdir(), 'radstruct-stack-bench-')),
  log: () => {},
})
const up = performance.now()
const api = async (path: string, init: RequestInit = {}) =>
  (await (
    await fetch(`${stack.edgeUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${stack.site.key}`,
        ...(init.headers as Record<string, string>),
      },
    })
  ).json()) as Record<string, any>
const task = builtinTask('cmr52')
if (!task) throw new Error('cmr52')
const reports = generateCorpus(task, { count: 201, seed: 2026 }).map((r, i) => ({
  id: `b${i}`,
  text: r.text,
}))
const nd = (rs: typeof reports) => `${rs.map((r) => JSON.stringify(r)).join('\n')}\n`
const waitDone = async (batch: string, n: number) => {
  for (;;) {
    const c = (await api(`/v1/batches/${batch}`)).counts
    if (c.done + c.failed >= n) return c
    await new Promise((r) => setTimeout(r, 250))
  }
}
const first = await api('/v1/batches?task=cmr52', {
  method: 'POST',
  headers: { 'content-type': 'application/x-ndjson' },
  body: nd(reports.slice(0, 1)),
})
await waitDone(first.batch, 1)
const firstResult = performance.now()
console.log(
  `local stack: up in ${((up - t0) / 1000).toFixed(1)} s; first result ${((firstResult - t0) / 1000).toFixed(1)} s after a cold start`,
)
const start = performance.now()
const batch = await api('/v1/batches?task=cmr52', {
  method: 'POST',
  headers: { 'content-type': 'application/x-ndjson' },
  body: nd(reports.slice(1)),
})
const c = await waitDone(batch.batch, 200)
const s = (performance.now() - start) / 1000
console.log(
  `200-report batch through the local stack (reference student, K = 3, one worker on this machine): ${s.toFixed(0)} s, ${(200 / s).toFixed(2)} reports/s; ${c.done} done, ${c.flagged} with fields to review, ${c.failed} failed`,
)
await stack.stop()
