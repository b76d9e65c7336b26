/**
 * `npm start`: the whole system locally (see stack.ts), then the example reports shipped in the
 * repo go through it as a site would send them; prints where the results are and keeps serving
 * until Ctrl-C. Ports: RADSTRUCT_EDGE_PORT (8787), RADSTRUCT_AWS_PORT (4566), RADSTRUCT_WORKER_PORT (9464).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runUpload } from '../cli/commands/site.ts'
import { localStateDir } from '../cli/local-state.ts'
import { root, startStack } from './stack.ts'

const t0 = performance.now()
const secs = () => ((performance.now() - t0) / 1000).toFixed(1)
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback)

const stack = await startStack({
  edgePort: port('RADSTRUCT_EDGE_PORT', 8787),
  awsPort: port('RADSTRUCT_AWS_PORT', 4566),
  workerPort: port('RADSTRUCT_WORKER_PORT', 9464),
  ...(process.env.RADSTRUCT_MODEL ? { model: process.env.RADSTRUCT_MODEL } : {}),
  // a part that dies takes the stack down, saying which, rather than leaving half a system up
  onPartDied: (part, why) => {
    console.error(`\nradstruct: the ${part} stopped (${why}); stopping the rest and exiting`)
    void shutdown(1)
  },
})
let stopping = false
async function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  console.log('\nstopping: worker (finishes the report in flight), edge, SQS/S3 ...')
  // a report in flight may take a while on CPU; past 60 s, stop hard (the queue redelivers it)
  const hard = setTimeout(() => process.exit(1), 60_000)
  await stack.stop().catch((e) => console.error(`while stopping: ${(e as Error).message}`))
  clearTimeout(hard)
  process.exit(code)
}
// miniflare's exit hook answers SIGINT and SIGTERM by ending the process at once (after killing
// workerd), which would cut the worker's report in flight: the stack takes the signals over, and
// stack.stop() disposes of the edge itself
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(sig)
  process.on(sig, () => shutdown(0))
}
console.log(`stack up in ${secs()} s`)

/** A reviewer for the local site, made once (its token is kept beside the site key). */
async function localReviewer(): Promise<string> {
  const path = join(localStateDir, 'reviewer.json')
  if (existsSync(path)) {
    const { token } = JSON.parse(readFileSync(path, 'utf8')) as { token: string }
    const me = await fetch(`${stack.edgeUrl}/v1/review/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    if (me.ok) return token
  }
  const res = await fetch(`${stack.edgeUrl}/admin/sites/${stack.site.id}/reviewers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Local reviewer', role: 'site_admin' }),
  })
  const { token } = (await res.json()) as { token: string }
  writeFileSync(path, JSON.stringify({ token }), { mode: 0o600 })
  return token
}

const samples = join(root, 'examples', 'samples', 'cmr52')
const { text: uploaded } = await runUpload({
  _: [samples] as unknown as string,
  task: 'cmr52',
  url: stack.edgeUrl,
  key: stack.site.key,
})
console.log(uploaded)
const batch = /^(bat_\w+):/m.exec(uploaded)?.[1]
if (batch) {
  let first: string | undefined
  for (;;) {
    const s = (await (
      await fetch(`${stack.edgeUrl}/v1/batches/${batch}`, {
        headers: { authorization: `Bearer ${stack.site.key}` },
      })
    ).json()) as { counts: { accepted: number; done: number; failed: number; flagged: number } }
    if (!first && s.counts.done > 0) {
      first = secs()
      console.log(`first result ${first} s after start`)
    }
    if (s.counts.done + s.counts.failed >= s.counts.accepted) {
      console.log(
        `all ${s.counts.accepted} example reports done after ${secs()} s: ${s.counts.done} results (${s.counts.flagged} with fields to review), ${s.counts.failed} failed`,
      )
      break
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  const reviewer = await localReviewer()
  const c = stack.credentials
  console.log(`
results:
  API     ${stack.edgeUrl}/v1/batches/${batch}/results   (key in .wrangler/radstruct-local/site.json)
  CLI     npx radstruct results ${batch} --format csv -o results.csv
  S3      s3://${stack.resultsBucket}/${stack.site.id}/${batch}/  at ${stack.awsEndpoint}
review:
  page    ${stack.edgeUrl}/review   reviewer token: ${reviewer}
  more    npx radstruct admin reviewer --site ${stack.site.id} --name "A. Reviewer"
drop folder (the local S3 takes any access key; these are the stack's):
  AWS_ACCESS_KEY_ID=${c.accessKeyId} AWS_SECRET_ACCESS_KEY=${c.secretAccessKey} AWS_REGION=${c.region} \\
    aws --endpoint-url ${stack.awsEndpoint} s3 cp reports.ndjson s3://${stack.dropBucket}/drop/${stack.site.id}/my-batch.ndjson
  npx radstruct batches    (lists the site's batches, the dropped ones too)
admin:
  npx radstruct admin site|key|reviewer ...   (the local admin token is in .wrangler/radstruct-local/secrets.json; the CLI finds it)
serving until Ctrl-C`)
}
