/**
 * The intake's rows: a new batch, each report's link to it, the batch undone when its upload
 * fails, and its rejections and counts once it is in.
 */
import { discardPending } from './lifecycle.ts'

export interface NewBatch {
  id: string
  siteId: string
  task: string
  rawKey: string
  callback?: { url: string; secret: string } | undefined
  createdAt: string
}

export async function insertBatch(db: D1Database, b: NewBatch): Promise<void> {
  await db
    .prepare(
      `INSERT INTO batches (id, site_id, task, raw_key, accepted, rejected, callback_url, callback_secret, created_at)
       VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?)`,
    )
    .bind(
      b.id,
      b.siteId,
      b.task,
      b.rawKey,
      b.callback?.url ?? null,
      b.callback?.secret ?? null,
      b.createdAt,
    )
    .run()
}

export async function batchExists(db: D1Database, batchId: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM batches WHERE id = ?').bind(batchId).first()) !== null
}

/** Links a batch's line to the site's report with that id and content (just inserted, or sent
 * before): bind (batch, line, site, task, external id, content hash). */
export const linkReport = (db: D1Database): D1PreparedStatement =>
  db.prepare(
    `INSERT OR IGNORE INTO batch_reports (batch_id, report_id, position)
     SELECT ?, id, ? FROM reports WHERE site_id = ? AND task = ? AND external_id = ? AND content_hash = ?`,
  )

/** A batch whose upload failed leaves nothing behind. */
export async function discardBatch(db: D1Database, batchId: string): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM batch_reports WHERE batch_id = ?').bind(batchId),
    discardPending(db, batchId),
    db.prepare('DELETE FROM batches WHERE id = ?').bind(batchId),
  ])
}

/** The batch's refused lines (line, id, reason; never text) and its final counts. */
export async function closeBatch(
  db: D1Database,
  batchId: string,
  accepted: number,
  rejections: readonly { line: number; report?: string | undefined; detail: string }[],
): Promise<void> {
  const rows = rejections.map((r) =>
    db
      .prepare('INSERT INTO rejections (batch_id, line, external_id, reason) VALUES (?, ?, ?, ?)')
      .bind(batchId, r.line, r.report ?? null, r.detail),
  )
  for (let i = 0; i < rows.length; i += 100) await db.batch(rows.slice(i, i + 100))
  await db
    .prepare('UPDATE batches SET accepted = ?, rejected = ? WHERE id = ?')
    .bind(accepted, rejections.length, batchId)
    .run()
}
