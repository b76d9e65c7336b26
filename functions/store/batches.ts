/** Batch and report reads, always scoped to the asking site (another site's id reads as absent). */
import type { BatchListItem, BatchSummary } from '../../core/api.ts'

type BatchRow = {
  id: string
  task: string
  accepted: number
  rejected: number
  created_at: string
  completed_at: string | null
}
const batchColumns = 'id, task, accepted, rejected, created_at, completed_at'

/** A site's batches, newest first. */
export interface BatchFilter {
  limit: number
  task?: string | undefined
  /** complete: every report has a result or a failure; open: not yet. */
  state?: 'complete' | 'open' | undefined
  /** Created at or after this ISO time. */
  since?: string | undefined
}

export async function listBatches(
  db: D1Database,
  siteId: string,
  f: BatchFilter,
): Promise<BatchListItem[]> {
  const where = ['site_id = ?']
  const binds: unknown[] = [siteId]
  if (f.task) {
    where.push('task = ?')
    binds.push(f.task)
  }
  if (f.state)
    where.push(f.state === 'complete' ? 'completed_at IS NOT NULL' : 'completed_at IS NULL')
  if (f.since) {
    where.push('created_at >= ?')
    binds.push(f.since)
  }
  const rows = await db
    .prepare(
      `SELECT ${batchColumns} FROM batches WHERE ${where.join(' AND ')} ORDER BY created_at DESC LIMIT ?`,
    )
    .bind(...binds, f.limit)
    .all<BatchRow>()
  return rows.results.map((b) => ({
    id: b.id,
    task: b.task,
    accepted: b.accepted,
    rejected: b.rejected,
    createdAt: b.created_at,
    completedAt: b.completed_at,
  }))
}

export async function batchSummary(
  db: D1Database,
  siteId: string,
  batchId: string,
): Promise<BatchSummary | undefined> {
  const b = await db
    .prepare(`SELECT ${batchColumns} FROM batches WHERE id = ? AND site_id = ?`)
    .bind(batchId, siteId)
    .first<BatchRow>()
  if (!b) return undefined
  const [statuses, failures, rejections] = await db.batch([
    db
      .prepare(
        `SELECT r.status AS status, count(*) AS n, sum(CASE WHEN r.flagged > 0 THEN 1 ELSE 0 END) AS flagged
         FROM batch_reports br JOIN reports r ON r.id = br.report_id WHERE br.batch_id = ? GROUP BY r.status`,
      )
      .bind(batchId),
    db
      .prepare(
        `SELECT r.failure AS reason, count(*) AS n FROM batch_reports br JOIN reports r ON r.id = br.report_id
         WHERE br.batch_id = ? AND r.status = 'failed' GROUP BY r.failure ORDER BY n DESC LIMIT 20`,
      )
      .bind(batchId),
    db
      .prepare(
        'SELECT line, external_id, reason FROM rejections WHERE batch_id = ? ORDER BY line LIMIT 100',
      )
      .bind(batchId),
  ])
  const by = new Map(
    ((statuses?.results ?? []) as { status: string; n: number; flagged: number }[]).map((r) => [
      r.status,
      r,
    ]),
  )
  const n = (s: string) => by.get(s)?.n ?? 0
  return {
    id: b.id,
    task: b.task,
    createdAt: b.created_at,
    completedAt: b.completed_at,
    counts: {
      accepted: b.accepted,
      rejected: b.rejected,
      queued: n('pending') + n('queued'),
      done: n('done'),
      flagged: by.get('done')?.flagged ?? 0,
      failed: n('failed'),
    },
    failures: ((failures?.results ?? []) as { reason: string; n: number }[]).map((f) => ({
      reason: f.reason,
      reports: f.n,
    })),
    rejections: (
      (rejections?.results ?? []) as { line: number; external_id: string | null; reason: string }[]
    ).map((r) => ({
      line: r.line,
      report: r.external_id,
      detail: r.reason,
    })),
  }
}

export interface ReportRow {
  id: string
  external_id: string
  task: string
  first_batch_id: string
  status: string
  flagged: number | null
  failure: string | null
  result_key: string
  redacted: string | null
}

export async function reportRow(
  db: D1Database,
  siteId: string,
  reportId: string,
): Promise<ReportRow | undefined> {
  return (
    (await db
      .prepare(
        'SELECT id, external_id, task, first_batch_id, status, flagged, failure, result_key, redacted FROM reports WHERE id = ? AND site_id = ?',
      )
      .bind(reportId, siteId)
      .first<ReportRow>()) ?? undefined
  )
}

/** A page of a batch's reports in upload order, after `cursor` (a position). */
export async function batchReports(
  db: D1Database,
  batchId: string,
  cursor: number,
  limit: number,
): Promise<(ReportRow & { position: number })[]> {
  const rows = await db
    .prepare(
      `SELECT r.id, r.external_id, r.task, r.first_batch_id, r.status, r.flagged, r.failure, r.result_key, r.redacted,
              br.position
       FROM batch_reports br JOIN reports r ON r.id = br.report_id
       WHERE br.batch_id = ? AND br.position > ? ORDER BY br.position LIMIT ?`,
    )
    .bind(batchId, cursor, limit)
    .all<ReportRow & { position: number }>()
  return rows.results
}

/** A site's reports of one task created in [since, until), in (created_at, id) order after the cursor. */
export async function siteReports(
  db: D1Database,
  q: {
    siteId: string
    task: string
    since: string
    until: string
    after?: { at: string; id: string }
  },
  limit: number,
): Promise<(ReportRow & { created_at: string })[]> {
  const rows = await db
    .prepare(
      `SELECT id, external_id, task, first_batch_id, status, flagged, failure, result_key, redacted, created_at
       FROM reports WHERE site_id = ? AND task = ? AND created_at >= ? AND created_at < ?
         AND (created_at > ? OR (created_at = ? AND id > ?))
       ORDER BY created_at, id LIMIT ?`,
    )
    .bind(
      q.siteId,
      q.task,
      q.since,
      q.until,
      q.after?.at ?? '',
      q.after?.at ?? '',
      q.after?.id ?? '',
      limit,
    )
    .all<ReportRow & { created_at: string }>()
  return rows.results
}
