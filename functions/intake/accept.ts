/**
 * Takes a batch in: each report is validated, screened for identifiers, deduplicated by site, id and
 * content hash, appended to the batch's raw object, and recorded in D1; the dispatcher is told to
 * queue it. A report that fails validation or the screen is recorded as a rejection (line, id,
 * reason; never the text) and the rest go ahead.
 */

import { contentHash } from '../../core/content-hash.ts'
import { resultKey } from '../../core/report-ref.ts'
import type { Task } from '../../schemas/task.ts'
import type { Bindings } from '../env.ts'
import { newId, now } from '../ids.ts'
import { ApiError } from '../problem.ts'
import { closeBatch, discardBatch, insertBatch, linkReport } from '../store/intake.ts'
import { insertPending } from '../store/lifecycle.ts'
import { completeBatchIfDone } from '../store/progress.ts'
import { RawWriter } from '../store/raw.ts'
import { type IntakeItem, prepareReport, type Rejection } from './prepare.ts'

export interface AcceptOptions {
  siteId: string
  task: Task
  deidPolicy: 'reject' | 'redact'
  maxReports: number
  callback?: { url: string; secret: string }
  /** The batch's id when the way in fixes it (a dropped file's); a new bat_ id otherwise. */
  batchId?: string
  /** Keep a batch that took no report, its rejections on show (a dropped file has no client to
   * answer); an upload is answered 422 and leaves nothing. */
  keepEmpty?: boolean
}

export interface Accepted {
  batchId: string
  accepted: number
  /** Accepted reports the site had sent before (same id and content): not processed again. */
  duplicates: number
  redacted: number
  rejected: number
  rejections: Rejection[]
}

const FLUSH = 100

/** One batch's reports on their way in: each checked, appended to the raw object, and its rows
 * written to D1 in flushes. */
class BatchIntake {
  accepted = 0
  /** Accepted reports new to the site (the rest were sent before, same id and content). */
  fresh = 0
  redacted = 0
  readonly rejections: Rejection[] = []
  private statements: D1PreparedStatement[] = []
  private readonly lineOfId = new Map<string, number>()
  private readonly link: D1PreparedStatement
  private readonly db: D1Database
  private readonly raw: RawWriter
  private readonly batch: { id: string; rawKey: string; createdAt: string }
  private readonly opts: AcceptOptions

  constructor(
    db: D1Database,
    raw: RawWriter,
    batch: { id: string; rawKey: string; createdAt: string },
    opts: AcceptOptions,
  ) {
    this.db = db
    this.raw = raw
    this.batch = batch
    this.opts = opts
    this.link = linkReport(db)
  }

  async take(item: IntakeItem): Promise<void> {
    const prepared = prepareReport(item, this.opts.deidPolicy)
    if ('detail' in prepared) {
      this.rejections.push(prepared)
      return
    }
    const { report, stored, redactedKinds } = prepared
    // one rule for a repeated id: the first line is taken, later ones are refused by line, so
    // the counts add up (accepted = results to wait for) and nothing is processed twice
    const first = this.lineOfId.get(report.id)
    if (first !== undefined) {
      this.rejections.push({
        line: item.line,
        report: report.id,
        detail: `id '${report.id}' repeats line ${first}: ids are unique within a batch (this line was not taken)`,
      })
      return
    }
    this.lineOfId.set(report.id, item.line)
    if (redactedKinds) this.redacted++
    if (++this.accepted > this.opts.maxReports)
      throw new ApiError(
        413,
        'too-many-reports',
        `a batch takes at most ${this.opts.maxReports} reports: split it`,
      )
    const line = JSON.stringify(stored)
    const hash = contentHash(line)
    const where = await this.raw.append(line)
    const id = newId('rpt')
    const { siteId, task } = this.opts
    this.statements.push(
      insertPending(
        this.db,
        {
          id,
          siteId,
          task: task.id,
          externalId: report.id,
          contentHash: hash,
          batchId: this.batch.id,
          rawKey: this.batch.rawKey,
          rawOffset: where.offset,
          rawLength: where.length,
          redacted: redactedKinds ?? null,
          resultKey: resultKey({ site: siteId, batch: this.batch.id, report: id }),
        },
        this.batch.createdAt,
      ),
      this.link.bind(this.batch.id, item.line, siteId, task.id, report.id, hash),
    )
    if (this.statements.length >= 2 * FLUSH) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.statements.length === 0) return
    const results = await this.db.batch(this.statements)
    // a report's insert changes a row only when the site had not sent it before
    for (let i = 0; i < results.length; i += 2) this.fresh += results[i]?.meta.changes ?? 0
    this.statements = []
  }
}

export async function acceptBatch(
  env: Bindings,
  items: AsyncIterable<IntakeItem>,
  opts: AcceptOptions,
): Promise<Accepted> {
  const batch = { id: opts.batchId ?? newId('bat'), rawKey: '', createdAt: now() }
  batch.rawKey = `raw/${opts.siteId}/${batch.id}.ndjson`
  const raw = new RawWriter(env.RAW, batch.rawKey)
  const db = env.DB
  await insertBatch(db, {
    ...batch,
    siteId: opts.siteId,
    task: opts.task.id,
    callback: opts.callback,
  })
  const intake = new BatchIntake(db, raw, batch, opts)
  const { rejections } = intake
  try {
    for await (const item of items) await intake.take(item)
    await intake.flush()
    if (intake.accepted === 0 && !opts.keepEmpty)
      throw new ApiError(
        422,
        'no-reports-accepted',
        rejections.length
          ? `none of the ${rejections.length} report(s) could be taken; see errors`
          : 'the batch holds no reports',
        { errors: rejections.slice(0, 100), errorCount: rejections.length },
      )
    await raw.finish()
  } catch (e) {
    await raw.abort()
    await discardBatch(db, batch.id)
    throw e
  }
  await closeBatch(db, batch.id, intake.accepted, rejections)
  if (intake.fresh > 0) await env.DISPATCH.send({ kind: 'dispatch', batchId: batch.id })
  // a batch of reports all seen before may be complete already
  else await completeBatchIfDone(env, batch.id)
  return {
    batchId: batch.id,
    accepted: intake.accepted,
    duplicates: intake.accepted - intake.fresh,
    redacted: intake.redacted,
    rejected: rejections.length,
    rejections: rejections.slice(0, 100),
  }
}
