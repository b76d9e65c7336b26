/**
 * Takes a batch in: each report is validated, screened for identifiers, deduplicated by site, id and
 * content hash, appended to the batch's raw object, and recorded in D1; the dispatcher is told to
 * queue it. A report that fails validation or the screen is recorded as a rejection (line, id,
 * reason; never the text) and the rest go ahead.
 */

import { contentHash } from '../../core/content-hash.ts'
import { resultKey } from '../../core/result-key.ts'
import type { Task } from '../../schemas/task.ts'
import type { Bindings } from '../env.ts'
import { newId, now } from '../ids.ts'
import { ApiError } from '../problem.ts'
import { discardPending, insertPending } from '../store/lifecycle.ts'
import { completeBatchIfDone } from '../store/progress.ts'
import { RawWriter } from '../store/raw.ts'
import { type IntakeItem, prepareReport, type Rejection } from './prepare.ts'

export interface AcceptOptions {
  siteId: string
  task: Task
  deidPolicy: 'reject' | 'redact'
  maxReports: number
  callback?: { url: string; secret: string }
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
export async function acceptBatch(
  env: Bindings,
  items: AsyncIterable<IntakeItem>,
  opts: AcceptOptions,
): Promise<Accepted> {
  const batchId = newId('bat')
  const rawKey = `raw/${opts.siteId}/${batchId}.ndjson`
  const raw = new RawWriter(env.RAW, rawKey)
  const db = env.DB
  const created = now()
  await db
    .prepare(
      `INSERT INTO batches (id, site_id, task, raw_key, accepted, rejected, callback_url, callback_secret, created_at)
       VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?)`,
    )
    .bind(
      batchId,
      opts.siteId,
      opts.task.id,
      rawKey,
      opts.callback?.url ?? null,
      opts.callback?.secret ?? null,
      created,
    )
    .run()

  const rejections: Rejection[] = []
  let statements: D1PreparedStatement[] = []
  let accepted = 0
  let fresh = 0
  let redacted = 0
  const link = db.prepare(
    `INSERT OR IGNORE INTO batch_reports (batch_id, report_id, position)
     SELECT ?, id, ? FROM reports WHERE site_id = ? AND task = ? AND external_id = ? AND content_hash = ?`,
  )
  const flush = async () => {
    if (statements.length === 0) return
    const results = await db.batch(statements)
    for (let i = 0; i < results.length; i += 2) fresh += results[i]?.meta.changes ?? 0
    statements = []
  }

  const lineOfId = new Map<string, number>()
  try {
    for await (const item of items) {
      const prepared = prepareReport(item, opts.deidPolicy)
      if ('detail' in prepared) {
        rejections.push(prepared)
        continue
      }
      const { report, stored, redactedKinds } = prepared
      // one rule for a repeated id: the first line is taken, later ones are refused by line, so
      // the counts add up (accepted = results to wait for) and nothing is processed twice
      const first = lineOfId.get(report.id)
      if (first !== undefined) {
        rejections.push({
          line: item.line,
          report: report.id,
          detail: `id '${report.id}' repeats line ${first}: ids are unique within a batch (this line was not taken)`,
        })
        continue
      }
      lineOfId.set(report.id, item.line)
      if (redactedKinds) redacted++
      if (++accepted > opts.maxReports)
        throw new ApiError(
          413,
          'too-many-reports',
          `a batch takes at most ${opts.maxReports} reports: split it`,
        )
      const line = JSON.stringify(stored)
      const hash = contentHash(line)
      const where = await raw.append(line)
      const id = newId('rpt')
      statements.push(
        insertPending(
          db,
          {
            id,
            siteId: opts.siteId,
            task: opts.task.id,
            externalId: report.id,
            contentHash: hash,
            batchId,
            rawKey,
            rawOffset: where.offset,
            rawLength: where.length,
            redacted: redactedKinds ?? null,
            resultKey: resultKey({ site: opts.siteId, batch: batchId, reportId: id }),
          },
          created,
        ),
        link.bind(batchId, item.line, opts.siteId, opts.task.id, report.id, hash),
      )
      if (statements.length >= 2 * FLUSH) await flush()
    }
    await flush()
    if (accepted === 0) {
      throw new ApiError(
        422,
        'no-reports-accepted',
        rejections.length
          ? `none of the ${rejections.length} report(s) could be taken; see errors`
          : 'the batch holds no reports',
        { errors: rejections.slice(0, 100), errorCount: rejections.length },
      )
    }
    await raw.finish()
  } catch (e) {
    await raw.abort()
    await db.batch([
      db.prepare('DELETE FROM batch_reports WHERE batch_id = ?').bind(batchId),
      discardPending(db, batchId),
      db.prepare('DELETE FROM batches WHERE id = ?').bind(batchId),
    ])
    throw e
  }

  const rejectRows = rejections.map((r) =>
    db
      .prepare('INSERT INTO rejections (batch_id, line, external_id, reason) VALUES (?, ?, ?, ?)')
      .bind(batchId, r.line, r.report ?? null, r.detail),
  )
  for (let i = 0; i < rejectRows.length; i += FLUSH) await db.batch(rejectRows.slice(i, i + FLUSH))
  await db
    .prepare('UPDATE batches SET accepted = ?, rejected = ? WHERE id = ?')
    .bind(accepted, rejections.length, batchId)
    .run()
  if (fresh > 0) await env.DISPATCH.send({ kind: 'dispatch', batchId })
  // a batch of reports all seen before may be complete already
  else await completeBatchIfDone(env, batchId)
  return {
    batchId,
    accepted,
    duplicates: accepted - fresh,
    redacted,
    rejected: rejections.length,
    rejections: rejections.slice(0, 100),
  }
}
