/** The site operator's commands: upload a folder of reports, follow batches, fetch results. */
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import {
  type BatchSummary,
  batchAcceptedSchema,
  batchListSchema,
  batchSummarySchema,
} from '../../core/api.ts'
import { CliError, exitCodes, Outcome } from '../errors.ts'
import { loadTask, outputPath, readReports } from '../io.ts'
import { type ProgressGroup, progressGroup } from '../progress.ts'
import { type SiteClient, siteClient } from '../site-client.ts'
import { isExportFormat, recordsFromBatches, writeExport } from './export.ts'

export const uploadUsage = `radstruct upload DIR|FILE --task TASK [--chunk N] [--wait] [--url URL] [--key KEY]

Sends reports (.txt files, .ndjson/.jsonl lines, .json) to the edge API in batches of N (500).
Resumable: each batch carries an Idempotency-Key made from its content, and finished batches are
remembered in .radstruct/ per deployment and site, so running the same upload again after a stop sends only what is left.
With --wait, follows processing until every report is done or failed. Prints the batch ids.`

export const statusUsage = `radstruct status BATCH... [--url URL] [--key KEY]

Counts per batch: accepted, rejected, queued, done, flagged, failed (with reasons).`

export const batchesUsage = `radstruct batches [--task TASK] [--state open|complete] [--since DATE] [--limit N] [--json] [--url URL] [--key KEY]

Lists the site's batches, newest first (uploads, webhook extractions and drop-folder files alike):
id, task, when, accepted and refused, and whether every report has a result or a failure.`

export const resultsUsage = `radstruct results BATCH... [--format csv|ndjson|fhir|fhir-transaction|redcap|parquet] [-o FILE] [--url URL] [--key KEY]

Writes the results of the batches (one row per report, value and confidence per field in CSV);
fhir, fhir-transaction, redcap and parquet need -o. -o makes the file's folder if it is missing.`

type Options = Record<string, string | boolean | undefined>
function positionals(opts: Options): string[] {
  return ((opts._ as unknown as string[] | undefined) ?? []).filter(Boolean)
}

export async function runUpload(opts: Options): Promise<Outcome> {
  const [input] = positionals(opts)
  if (!input) throw new CliError('missing DIR or FILE', 'a folder of reports, or one file')
  const task = loadTask(opts.task as string | undefined)
  const chunk = Number(opts.chunk ?? 500)
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 10_000)
    throw new CliError(`--chunk: expected 1 to 10000, got '${String(opts.chunk)}'`)
  const client = siteClient(opts)
  const { reports, problems } = readReports(input)
  if (problems.length)
    throw new CliError(
      `${problems.length} problem(s) in ${input}, nothing sent:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
  if (reports.length === 0)
    throw new CliError(`${input}: no reports (.txt, .ndjson, .jsonl or .json)`)
  const state = new UploadState(`${client.identity}\n${resolve(input)}\n${task.id}\n${chunk}`)
  // the key is checked before any progress is shown: a wrong key is one line, not "0/1 (0 %)"
  await client.request('GET', '/v1/batches?limit=1')
  const bars = progressGroup()
  let sent: Sent
  try {
    sent = await sendChunks(client, task.id, reports, chunk, state, bars)
    if (opts.wait) await follow(client, sent.batches, bars)
  } finally {
    bars.stop()
  }
  const summary = await Promise.all(sent.batches.map((b) => batchStatus(client, b)))
  // a rerun that sends nothing still reports what its batches refused (and exits 3 for it)
  const refused = summary.reduce((n, s) => n + s.counts.rejected, 0)
  const text = [
    `${reports.length} report(s) in ${sent.batches.length} batch(es); ${Math.max(sent.rejected, refused)} refused`,
    ...(sent.lines.length ? ['refused:', ...sent.lines.slice(0, 50)] : []),
    ...summary.map((s) => statusLine(s)),
  ].join('\n')
  return new Outcome(text, refused > 0 ? exitCodes.someRefused : exitCodes.ok)
}

/** The batches an upload has sent, kept in .radstruct/ per deployment, site, input, task and
 * chunk size (by digest), so that a rerun sends only what is left. */
class UploadState {
  private readonly path: string
  private readonly batches: Record<string, string>

  constructor(identity: string) {
    const digest = createHash('sha256').update(identity).digest('hex').slice(0, 16)
    this.path = join('.radstruct', `upload-${digest}.json`)
    this.batches = existsSync(this.path)
      ? (JSON.parse(readFileSync(this.path, 'utf8')) as { batches: Record<string, string> }).batches
      : {}
  }

  batchOf(chunkDigest: string): string | undefined {
    return this.batches[chunkDigest]
  }

  record(chunkDigest: string, batch: string): void {
    this.batches[chunkDigest] = batch
    mkdirSync(dirname(this.path), { recursive: true })
    writeFileSync(this.path, JSON.stringify({ batches: this.batches }))
  }
}

interface Sent {
  batches: string[]
  rejected: number
  /** One line per refused report. */
  lines: string[]
}

/** Sends the reports in chunks, each with an Idempotency-Key made from its content. */
async function sendChunks(
  client: SiteClient,
  task: string,
  reports: readonly unknown[],
  chunk: number,
  state: UploadState,
  bars: ProgressGroup,
): Promise<Sent> {
  const bar = bars.create('upload', reports.length)
  const sent: Sent = { batches: [], rejected: 0, lines: [] }
  for (let i = 0; i < reports.length; i += chunk) {
    const part = reports.slice(i, i + chunk)
    const body = `${part.map((r) => JSON.stringify(r)).join('\n')}\n`
    const digest = createHash('sha256').update(`${task}\n${body}`).digest('hex').slice(0, 32)
    const done = state.batchOf(digest)
    if (done) {
      sent.batches.push(done)
      bar.increment(part.length, `batch ${sent.batches.length} already sent`)
      continue
    }
    const r = await client.json(
      batchAcceptedSchema,
      'POST',
      `/v1/batches?task=${encodeURIComponent(task)}`,
      {
        body,
        headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': `upload-${digest}` },
      },
    )
    sent.batches.push(r.batch)
    sent.rejected += r.rejected
    for (const x of r.rejections)
      sent.lines.push(`  - ${x.report ?? `line ${i + x.line}`}: ${x.detail}`)
    state.record(digest, r.batch)
    bar.increment(
      part.length,
      `${r.batch}: ${r.accepted} accepted, ${r.duplicates} seen before, ${r.rejected} refused`,
    )
  }
  return sent
}

async function follow(client: SiteClient, batches: string[], bars: ProgressGroup): Promise<void> {
  const read = () => Promise.all(batches.map((b) => batchStatus(client, b)))
  let s = await read()
  const total = s.reduce((n, b) => n + b.counts.accepted, 0)
  const bar = bars.create('process', total)
  for (;;) {
    const done = s.reduce((n, b) => n + b.counts.done + b.counts.failed, 0)
    const flagged = s.reduce((n, b) => n + b.counts.flagged, 0)
    bar.update(done, `${flagged} with fields to review`)
    if (done >= total) return
    await new Promise((r) => setTimeout(r, 1000))
    s = await read()
  }
}

const batchStatus = (client: SiteClient, id: string) =>
  client.json(batchSummarySchema, 'GET', `/v1/batches/${encodeURIComponent(id)}`)

function statusLine(s: BatchSummary): string {
  const c = s.counts
  const reasons = s.failures.map((f) => `\n    failed: ${f.reports} x ${f.reason}`).join('')
  return `${s.id}: ${c.accepted} accepted, ${c.rejected} refused, ${c.queued} queued, ${c.done} done (${c.flagged} with fields to review), ${c.failed} failed${s.completedAt ? ', complete' : ''}${reasons}`
}

export async function runBatches(opts: Options): Promise<string> {
  const client = siteClient(opts)
  const q = new URLSearchParams()
  for (const k of ['task', 'state', 'since', 'limit'])
    if (typeof opts[k] === 'string') q.set(k, opts[k] as string)
  const r = await client.json(batchListSchema, 'GET', `/v1/batches?${q}`)
  if (opts.json) return JSON.stringify(r.batches, null, 2)
  if (r.batches.length === 0) return 'no batches'
  return [
    'batch                         task       created               accepted  refused  state',
    ...r.batches.map(
      (b) =>
        `${b.id.padEnd(29)} ${b.task.padEnd(10)} ${b.createdAt.slice(0, 19).padEnd(21)} ${String(b.accepted).padStart(8)}  ${String(b.rejected).padStart(7)}  ${b.completedAt ? 'complete' : 'open'}`,
    ),
  ].join('\n')
}

export async function runStatus(opts: Options): Promise<string> {
  const ids = positionals(opts)
  if (ids.length === 0)
    throw new CliError('missing BATCH', 'a batch id printed by radstruct upload')
  const client = siteClient(opts)
  const out: string[] = []
  for (const id of ids) out.push(statusLine(await batchStatus(client, id)))
  return out.join('\n')
}

export async function runResults(opts: Options): Promise<string> {
  const ids = positionals(opts)
  if (ids.length === 0)
    throw new CliError('missing BATCH', 'a batch id printed by radstruct upload')
  const format = opts.format ?? 'csv'
  if (isExportFormat(format) && format !== 'redcap-dictionary') {
    if (typeof opts.o !== 'string')
      throw new CliError('missing -o', `the file to write the ${format} export to`)
    // the batch says its task; the export reads the batches' NDJSON, reviewer decisions included
    const task = loadTask((await batchStatus(siteClient(opts), ids[0] as string)).task)
    const n = await writeExport(task, recordsFromBatches(task, ids, opts), format, opts.o)
    return `${n} report(s) -> ${opts.o}`
  }
  if (format !== 'csv' && format !== 'ndjson')
    throw new CliError(
      `--format: expected csv, ndjson, fhir, fhir-transaction, redcap or parquet, got '${String(format)}'`,
    )
  const client = siteClient(opts)
  const out = typeof opts.o === 'string' ? opts.o : undefined
  const sink = out ? createWriteStream(outputPath(out)) : process.stdout
  let rows = 0
  for (const [i, id] of ids.entries()) {
    const res = await client.request(
      'GET',
      `/v1/batches/${encodeURIComponent(id)}/results?format=${format}`,
    )
    let text = await res.text()
    // one CSV header for all batches
    if (format === 'csv' && i > 0) text = text.slice(text.indexOf('\r\n') + 2)
    rows += text.split('\n').filter((l) => l.trim()).length - (format === 'csv' && i === 0 ? 1 : 0)
    // one write per batch into the one sink (a pipeline per batch would add listeners to it each time)
    await new Promise<void>((done, fail) => sink.write(text, (e) => (e ? fail(e) : done())))
  }
  // the file is complete when the command returns (a reader right after must see every row)
  if (out) await new Promise<void>((done) => (sink as NodeJS.WritableStream).end(done))
  return out ? `${rows} row(s) -> ${out}` : ''
}
