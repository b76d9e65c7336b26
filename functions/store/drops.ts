/**
 * A file dropped into the S3 drop folder becomes a batch the API shows: the worker reads the file
 * and registers it (signed `batch.dropped`) before any result, with the result key of every report
 * it will process and the reports it refused. Registering the same file again changes nothing.
 */

import { contentHash } from '../../core/content-hash.ts'
import type { Bindings } from '../env.ts'
import { now } from '../ids.ts'
import { insertDropped } from './lifecycle.ts'
import { completeBatchIfDone } from './progress.ts'

export interface DropRegistration {
  site: string
  batch: string
  task: string
  file: string
  reports: { id: string; key: string }[]
  refused: { id: string; key: string; reason: string }[]
  errors: string[]
}

/** The edge's id of a dropped file's batch: stable, so a re-registration finds the same batch. */
export const dropBatchId = (site: string, batch: string) =>
  `drp_${contentHash(`${site}/${batch}`).slice(0, 24)}`

/** False if the site is unknown. */
export async function registerDrop(env: Bindings, d: DropRegistration): Promise<boolean> {
  const db = env.DB
  const site = await db.prepare('SELECT id FROM sites WHERE id = ?').bind(d.site).first()
  if (!site) return false
  const batchId = dropBatchId(d.site, d.batch)
  const t = now()
  const created = await db
    .prepare(
      `INSERT INTO batches (id, site_id, task, raw_key, accepted, rejected, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(batchId, d.site, d.task, d.file, d.reports.length, d.refused.length + d.errors.length, t)
    .run()
  if (created.meta.changes === 0) return true
  // a report refused by the screen counts as an upload's refusal does: refused, not accepted and failed
  const statements: D1PreparedStatement[] = []
  d.reports.forEach((r, i) => {
    const rid = `rpt_${contentHash(r.key).slice(0, 24)}`
    statements.push(
      insertDropped(
        db,
        {
          id: rid,
          siteId: d.site,
          task: d.task,
          externalId: r.id,
          contentHash: `drop:${r.key}`,
          batchId,
          rawKey: d.file,
          resultKey: r.key,
        },
        t,
      ),
      db
        .prepare(
          'INSERT OR IGNORE INTO batch_reports (batch_id, report_id, position) VALUES (?, ?, ?)',
        )
        .bind(batchId, rid, i + 1),
    )
  })
  const rejections = [
    ...d.refused.map((r) => ({ id: r.id as string | null, reason: r.reason })),
    ...d.errors.map((e) => ({ id: null, reason: e })),
  ]
  for (const [i, r] of rejections.entries())
    statements.push(
      db
        .prepare(
          'INSERT OR IGNORE INTO rejections (batch_id, line, external_id, reason) VALUES (?, ?, ?, ?)',
        )
        .bind(batchId, i + 1, r.id, r.reason.slice(0, 500)),
    )
  for (let i = 0; i < statements.length; i += 100) await db.batch(statements.slice(i, i + 100))
  if (d.reports.length === 0) await completeBatchIfDone(env, batchId)
  return true
}
