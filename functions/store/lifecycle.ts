/**
 * The one owner of a report's lifecycle in the `reports` table:
 *
 *   pending --dispatch--> queued --result--> done
 *      ^                    |  \--failure--> failed
 *      +------- requeue ----+     (also: pending/queued -> failed after MAX_DISPATCHES)
 *
 * Every status change goes through here, guarded by the status it leaves, so a late or repeated
 * event changes nothing. `attempts` counts dispatches; `updated_at` is when the status last moved.
 */
import { readStoredResult, type StoredResult } from '../../core/contracts.ts'
import { now } from '../ids.ts'

export type ReportStatus = 'pending' | 'queued' | 'done' | 'failed'

export interface NewReport {
  id: string
  siteId: string
  task: string
  externalId: string
  contentHash: string
  batchId: string
  rawKey: string
  rawOffset: number
  rawLength: number
  redacted: string | null
  resultKey: string
}

/** An accepted upload's report: pending until dispatched. A report the site sent before (same
 * id and content) is not inserted again (the statement changes no row). */
export function insertPending(db: D1Database, r: NewReport, at: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO reports (id, site_id, task, external_id, content_hash, first_batch_id, raw_key, raw_offset,
         raw_length, redacted, status, result_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
       ON CONFLICT (site_id, task, external_id, content_hash) DO NOTHING`,
    )
    .bind(
      r.id,
      r.siteId,
      r.task,
      r.externalId,
      r.contentHash,
      r.batchId,
      r.rawKey,
      r.rawOffset,
      r.rawLength,
      r.redacted,
      r.resultKey,
      at,
      at,
    )
}

/** An upload that failed half-way: its pending reports go, nothing of it is dispatched. */
export function discardPending(db: D1Database, batchId: string): D1PreparedStatement {
  return db
    .prepare("DELETE FROM reports WHERE first_batch_id = ? AND status = 'pending'")
    .bind(batchId)
}

/** The reports were put on the work queue. */
export async function markQueued(db: D1Database, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  const t = now()
  await db
    .prepare(
      `UPDATE reports SET status = 'queued', attempts = attempts + 1, dispatched_at = ?, updated_at = ?
       WHERE status = 'pending' AND id IN (${ids.map(() => '?').join(',')})`,
    )
    .bind(t, t, ...ids)
    .run()
}

/** The worker's word on a report: its stored result, or why it failed. */
export type Outcome =
  | { status: 'done'; result: StoredResult }
  | { status: 'failed'; reason: string }

/** A stored result's text as an outcome: done with the result, or failed, naming why it does not read. */
export function storedOutcome(text: string): Outcome {
  try {
    return { status: 'done', result: readStoredResult(text) }
  } catch (e) {
    return { status: 'failed', reason: (e as Error).message }
  }
}

export interface SettledReport {
  id: string
  site_id: string
  external_id: string
  first_batch_id: string
}

/** The worker's outcome for the report stored under `resultKey`; undefined if it was settled
 * already (a redelivered event) or is unknown. */
export async function settle(
  db: D1Database,
  resultKey: string,
  outcome: Outcome,
): Promise<SettledReport | undefined> {
  const row = await db
    .prepare(
      `UPDATE reports SET status = ?, flagged = ?, failure = ?, updated_at = ?
       WHERE result_key = ? AND status IN ('pending', 'queued')
       RETURNING id, site_id, external_id, first_batch_id`,
    )
    .bind(
      outcome.status,
      outcome.status === 'done' ? outcome.result.flagged.length : null,
      outcome.status === 'failed' ? outcome.reason.slice(0, 500) : null,
      now(),
      resultKey,
    )
    .first<SettledReport>()
  return row ?? undefined
}

/** A dispatch of the batch dead-lettered: its pending reports used up one attempt. */
export async function countLostDispatch(db: D1Database, batchId: string): Promise<void> {
  await db
    .prepare(
      "UPDATE reports SET attempts = attempts + 1, updated_at = ? WHERE first_batch_id = ? AND status = 'pending'",
    )
    .bind(now(), batchId)
    .run()
}

/** A queued report whose message is gone (no result, no final failure) goes back to pending,
 * to be dispatched again. */
export async function requeue(db: D1Database, id: string): Promise<boolean> {
  const r = await db
    .prepare(
      "UPDATE reports SET status = 'pending', updated_at = ? WHERE id = ? AND status = 'queued'",
    )
    .bind(now(), id)
    .run()
  return r.meta.changes > 0
}

/** Batches with reports pending since before `before` (their dispatch was lost or failed). */
export async function batchesPendingSince(
  db: D1Database,
  before: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .prepare(
      `SELECT DISTINCT first_batch_id AS batch FROM reports
     WHERE status = 'pending' AND updated_at <= ? LIMIT ?`,
    )
    .bind(before, limit)
    .all<{ batch: string }>()
  return rows.results.map((r) => r.batch)
}

export interface PendingRow {
  id: string
  site_id: string
  task: string
  first_batch_id: string
  raw_key: string
  raw_offset: number
  raw_length: number
}

/** A batch's pending reports in upload order, with where each one's text lies in the raw store. */
export async function pendingInBatch(
  db: D1Database,
  batchId: string,
  limit: number,
): Promise<PendingRow[]> {
  const rows = await db
    .prepare(
      `SELECT r.id, r.site_id, r.task, r.first_batch_id, r.raw_key, r.raw_offset, r.raw_length
       FROM batch_reports br JOIN reports r ON r.id = br.report_id
       WHERE br.batch_id = ? AND r.status = 'pending' ORDER BY br.position LIMIT ?`,
    )
    .bind(batchId, limit)
    .all<PendingRow>()
  return rows.results
}

/** Marks a batch's pending reports as touched, so a re-dispatch is not sent again at once. */
export async function touchPending(db: D1Database, batchId: string): Promise<void> {
  await db
    .prepare("UPDATE reports SET updated_at = ? WHERE first_batch_id = ? AND status = 'pending'")
    .bind(now(), batchId)
    .run()
}

export interface QueuedRow {
  id: string
  result_key: string
  first_batch_id: string
  content_hash: string
  attempts: number
  updated_at: string
}

/** Queued since before `before`, in (updated_at, id) order after the cursor. */
export async function queuedSince(
  db: D1Database,
  before: string,
  after: { updated_at: string; id: string } | undefined,
  limit: number,
): Promise<QueuedRow[]> {
  const rows = await db
    .prepare(
      `SELECT id, result_key, first_batch_id, content_hash, attempts, updated_at
       FROM reports WHERE status = 'queued' AND updated_at <= ?
         AND (updated_at > ? OR (updated_at = ? AND id > ?))
       ORDER BY updated_at, id LIMIT ?`,
    )
    .bind(before, after?.updated_at ?? '', after?.updated_at ?? '', after?.id ?? '', limit)
    .all<QueuedRow>()
  return rows.results
}

/** Result keys of a batch's reports still pending after `max` dispatches: to be given up on. */
export async function pendingOverAttempts(
  db: D1Database,
  batchId: string,
  max: number,
): Promise<string[]> {
  const rows = await db
    .prepare(
      "SELECT result_key FROM reports WHERE first_batch_id = ? AND status = 'pending' AND attempts >= ?",
    )
    .bind(batchId, max)
    .all<{ result_key: string }>()
  return rows.results.map((r) => r.result_key)
}

export async function readCursor(
  db: D1Database,
  name: string,
): Promise<{ updated_at: string; id: string } | undefined> {
  const row = await db
    .prepare('SELECT updated_at, id FROM sweep_cursors WHERE name = ?')
    .bind(name)
    .first<{ updated_at: string; id: string }>()
  return row ?? undefined
}

export async function writeCursor(
  db: D1Database,
  name: string,
  at: { updated_at: string; id: string } | undefined,
): Promise<void> {
  if (!at) await db.prepare('DELETE FROM sweep_cursors WHERE name = ?').bind(name).run()
  else
    await db
      .prepare(
        `INSERT INTO sweep_cursors (name, updated_at, id) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at, id = excluded.id`,
      )
      .bind(name, at.updated_at, at.id)
      .run()
}
