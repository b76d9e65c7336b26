/**
 * The review queue's data: the flagged fields of each result (copied from the result when it
 * arrives), claims that keep two reviewers off the same report, and the append-only decisions.
 * Every read is scoped to the reviewer's site.
 */

import type { Decision, StoredResult } from '../../core/contracts.ts'
import { newId, now } from '../ids.ts'

export const CLAIM_MINUTES = 10

/** Copies a result's flagged fields (value and confidence) into the review queue. */
export async function captureReviewItems(
  db: D1Database,
  reportId: string,
  r: StoredResult,
): Promise<void> {
  const t = now()
  const statements = r.flagged.map((field) =>
    db
      .prepare(
        'INSERT OR IGNORE INTO review_items (report_id, field, model_value, confidence, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .bind(reportId, field, JSON.stringify(r.values[field] ?? null), r.confidence[field] ?? 0, t),
  )
  for (let i = 0; i < statements.length; i += 100) await db.batch(statements.slice(i, i + 100))
}

export interface QueueFilter {
  task?: string
  batch?: string
  field?: string
  order: 'confidence' | 'oldest'
  limit: number
}

export interface QueueEntry {
  report: string
  id: string
  batch: string
  task: string
  /** Flagged fields still without a decision, lowest confidence first. */
  fields: { field: string; value: unknown; confidence: number }[]
  claimedBy: string | null
}

/** Reports with undecided flagged fields, lowest confidence (or oldest) first; claimed by others left out. */
export async function reviewQueue(
  db: D1Database,
  siteId: string,
  reviewerId: string,
  f: QueueFilter,
): Promise<QueueEntry[]> {
  const where = [
    'r.site_id = ?',
    'NOT EXISTS (SELECT 1 FROM decisions d WHERE d.report_id = i.report_id AND d.field = i.field)',
  ]
  const args: unknown[] = [siteId]
  if (f.task) {
    where.push('r.task = ?')
    args.push(f.task)
  }
  if (f.batch) {
    where.push('i.report_id IN (SELECT report_id FROM batch_reports WHERE batch_id = ?)')
    args.push(f.batch)
  }
  if (f.field) {
    where.push('i.field = ?')
    args.push(f.field)
  }
  where.push(
    'NOT EXISTS (SELECT 1 FROM claims c WHERE c.report_id = i.report_id AND c.reviewer_id != ? AND c.expires_at > ?)',
  )
  args.push(reviewerId, now())
  const rows = await db
    .prepare(
      `SELECT i.report_id, r.external_id, r.first_batch_id, r.task, i.field, i.model_value, i.confidence, i.created_at,
              (SELECT reviewer_id FROM claims c WHERE c.report_id = i.report_id AND c.expires_at > ?) AS claimed_by
       FROM review_items i JOIN reports r ON r.id = i.report_id
       WHERE ${where.join(' AND ')}
       ORDER BY ${f.order === 'oldest' ? 'i.created_at, i.confidence' : 'i.confidence, i.created_at'}
       LIMIT 1000`,
    )
    .bind(now(), ...args)
    .all<{
      report_id: string
      external_id: string
      first_batch_id: string
      task: string
      field: string
      model_value: string
      confidence: number
      claimed_by: string | null
    }>()
  const byReport = new Map<string, QueueEntry>()
  for (const row of rows.results) {
    let e = byReport.get(row.report_id)
    if (!e) {
      if (byReport.size >= f.limit) continue
      e = {
        report: row.report_id,
        id: row.external_id,
        batch: row.first_batch_id,
        task: row.task,
        fields: [],
        claimedBy: row.claimed_by,
      }
      byReport.set(row.report_id, e)
    }
    e.fields.push({
      field: row.field,
      value: JSON.parse(row.model_value),
      confidence: row.confidence,
    })
  }
  return [...byReport.values()]
}

/** Claims a report for CLAIM_MINUTES; false if another reviewer holds an unexpired claim. */
export async function claimReport(
  db: D1Database,
  reportId: string,
  reviewerId: string,
): Promise<{ ok: boolean; expiresAt?: string }> {
  const expiresAt = new Date(Date.now() + CLAIM_MINUTES * 60_000).toISOString()
  const r = await db
    .prepare(
      `INSERT INTO claims (report_id, reviewer_id, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (report_id) DO UPDATE SET reviewer_id = excluded.reviewer_id, expires_at = excluded.expires_at
       WHERE claims.reviewer_id = excluded.reviewer_id OR claims.expires_at <= ?`,
    )
    .bind(reportId, reviewerId, expiresAt, now())
    .run()
  return r.meta.changes > 0 ? { ok: true, expiresAt } : { ok: false }
}

export async function releaseClaim(
  db: D1Database,
  reportId: string,
  reviewerId: string,
): Promise<void> {
  await db
    .prepare('DELETE FROM claims WHERE report_id = ? AND reviewer_id = ?')
    .bind(reportId, reviewerId)
    .run()
}

export async function holdsClaim(
  db: D1Database,
  reportId: string,
  reviewerId: string,
): Promise<boolean> {
  return (
    (await db
      .prepare(
        'SELECT 1 AS ok FROM claims WHERE report_id = ? AND reviewer_id = ? AND expires_at > ?',
      )
      .bind(reportId, reviewerId, now())
      .first()) !== null
  )
}

export async function addDecision(
  db: D1Database,
  d: {
    reportId: string
    field: string
    reviewerId: string
    action: Decision['action']
    oldValue: unknown
    newValue: unknown
    confidence: number | null
    reason: string | null
  },
): Promise<Decision> {
  const id = newId('dec')
  const at = now()
  await db
    .prepare(
      `INSERT INTO decisions (id, report_id, field, reviewer_id, action, old_value, new_value, confidence, reason, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      id,
      d.reportId,
      d.field,
      d.reviewerId,
      d.action,
      JSON.stringify(d.oldValue),
      JSON.stringify(d.newValue),
      d.confidence,
      d.reason,
      at,
    )
    .run()
  return {
    id,
    field: d.field,
    reviewer: d.reviewerId,
    action: d.action,
    oldValue: d.oldValue,
    newValue: d.newValue,
    confidence: d.confidence,
    reason: d.reason,
    at,
  }
}

/** Every decision on a report, oldest first (the audit trail). */
export async function decisionsOf(db: D1Database, reportId: string): Promise<Decision[]> {
  const rows = await db
    .prepare(
      `SELECT d.id, d.field, v.name AS reviewer, d.action, d.old_value, d.new_value, d.confidence, d.reason, d.at
       FROM decisions d JOIN reviewers v ON v.id = d.reviewer_id WHERE d.report_id = ? ORDER BY d.at, d.id`,
    )
    .bind(reportId)
    .all<{
      id: string
      field: string
      reviewer: string
      action: Decision['action']
      old_value: string
      new_value: string
      confidence: number | null
      reason: string | null
      at: string
    }>()
  return rows.results.map((r) => ({
    id: r.id,
    field: r.field,
    reviewer: r.reviewer,
    action: r.action,
    oldValue: JSON.parse(r.old_value),
    newValue: JSON.parse(r.new_value),
    confidence: r.confidence,
    reason: r.reason,
    at: r.at,
  }))
}

/** Final values: the model's, overridden field by field by the latest decision, with where each came from. */
/** A field's final value: the model's, or a reviewer's decision (who and when, for the audit). */

/** Where a report's stored line is in its batch's raw object (absent for a report sent before). */
export async function rawLocation(
  db: D1Database,
  reportId: string,
): Promise<{ key: string; offset: number; length: number } | undefined> {
  const r = await db
    .prepare('SELECT raw_key, raw_offset, raw_length FROM reports WHERE id = ?')
    .bind(reportId)
    .first<{ raw_key: string; raw_offset: number; raw_length: number }>()
  return r && r.raw_length > 0
    ? { key: r.raw_key, offset: r.raw_offset, length: r.raw_length }
    : undefined
}

/** A report's flagged fields, lowest confidence first. */
export async function flaggedItems(
  db: D1Database,
  reportId: string,
): Promise<{ field: string; confidence: number }[]> {
  const rows = await db
    .prepare('SELECT field, confidence FROM review_items WHERE report_id = ? ORDER BY confidence')
    .bind(reportId)
    .all<{ field: string; confidence: number }>()
  return rows.results
}

/** The confidence of one flagged field, undefined when the field was not flagged. */
export async function flaggedConfidence(
  db: D1Database,
  reportId: string,
  field: string,
): Promise<number | undefined> {
  const r = await db
    .prepare('SELECT confidence FROM review_items WHERE report_id = ? AND field = ?')
    .bind(reportId, field)
    .first<{ confidence: number }>()
  return r?.confidence
}

/** A batch's review so far: flagged fields, those with a decision, those corrected; undefined
 * when the batch is not the site's. */
export async function reviewProgress(
  db: D1Database,
  siteId: string,
  batchId: string,
): Promise<{ flaggedFields: number; reviewed: number; corrected: number } | undefined> {
  const b = await db
    .prepare('SELECT id FROM batches WHERE id = ? AND site_id = ?')
    .bind(batchId, siteId)
    .first()
  if (!b) return undefined
  const r = await db
    .prepare(
      `SELECT count(*) AS flagged,
              sum(CASE WHEN EXISTS (SELECT 1 FROM decisions d WHERE d.report_id = i.report_id AND d.field = i.field) THEN 1 ELSE 0 END) AS reviewed,
              sum(CASE WHEN EXISTS (SELECT 1 FROM decisions d WHERE d.report_id = i.report_id AND d.field = i.field AND d.action != 'accept') THEN 1 ELSE 0 END) AS corrected
       FROM review_items i JOIN batch_reports br ON br.report_id = i.report_id WHERE br.batch_id = ?`,
    )
    .bind(batchId)
    .first<{ flagged: number; reviewed: number | null; corrected: number | null }>()
  return {
    flaggedFields: r?.flagged ?? 0,
    reviewed: r?.reviewed ?? 0,
    corrected: r?.corrected ?? 0,
  }
}

export interface CorrectionRow {
  externalId: string
  field: string
  /** The corrected value, as JSON. */
  newValue: string
  reviewer: string
  reason: string | null
  action: string
}

/** The site's corrections (every decision but an accept), in the order they were made; of one
 * batch's reports when `batchId` is given. */
export async function corrections(
  db: D1Database,
  siteId: string,
  batchId?: string,
): Promise<CorrectionRow[]> {
  const rows = await db
    .prepare(
      `SELECT r.external_id, d.field, d.new_value, v.name, d.reason, d.action FROM decisions d
       JOIN reports r ON r.id = d.report_id JOIN reviewers v ON v.id = d.reviewer_id
       WHERE r.site_id = ? AND d.action != 'accept' ${batchId ? 'AND d.report_id IN (SELECT report_id FROM batch_reports WHERE batch_id = ?)' : ''}
       ORDER BY d.at, d.id`,
    )
    .bind(siteId, ...(batchId ? [batchId] : []))
    .all<{
      external_id: string
      field: string
      new_value: string
      name: string
      reason: string | null
      action: string
    }>()
  return rows.results.map((r) => ({
    externalId: r.external_id,
    field: r.field,
    newValue: r.new_value,
    reviewer: r.name,
    reason: r.reason,
    action: r.action,
  }))
}
