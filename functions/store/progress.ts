/**
 * What happens when a result arrives: the report is marked once (a re-delivered result changes
 * nothing), events are recorded once per subject, and webhook deliveries are queued for them.
 */
import { coverageSummary } from '../../core/export/record.ts'
import type { Bindings } from '../env.ts'
import { newId, now } from '../ids.ts'
import { batchSummary } from './batches.ts'
import { type Outcome, settle, storedOutcome } from './lifecycle.ts'
import { captureReviewItems } from './review.ts'

export type EventType = 'batch.completed' | 'report.flagged'

export { type Outcome, storedOutcome }

/** Records a worker outcome for the report stored under `resultKey`; false if it was known already. */
export async function recordOutcome(
  env: Bindings,
  resultKey: string,
  outcome: Outcome,
): Promise<boolean> {
  const db = env.DB
  const row = await settle(db, resultKey, outcome)
  if (!row) return false
  if (outcome.status === 'done' && outcome.result.flagged.length > 0) {
    await captureReviewItems(env.DB, row.id, outcome.result)
    await emitEvent(env, row.site_id, 'report.flagged', row.id, {
      report: row.id,
      id: row.external_id,
      batch: row.first_batch_id,
      flagged: outcome.result.flagged.length,
      // what the reading did not read: a site sees a report flagged as a whole, and why
      coverage: coverageSummary(outcome.result.report?.coverage),
    })
  }
  const batches = await db
    .prepare('SELECT batch_id FROM batch_reports WHERE report_id = ?')
    .bind(row.id)
    .all<{ batch_id: string }>()
  for (const b of batches.results) await completeBatchIfDone(env, b.batch_id)
  return true
}

export async function completeBatchIfDone(env: Bindings, batchId: string): Promise<void> {
  const db = env.DB
  const open = await db
    .prepare(
      `SELECT count(*) AS n FROM batch_reports br JOIN reports r ON r.id = br.report_id
       WHERE br.batch_id = ? AND r.status IN ('pending', 'queued')`,
    )
    .bind(batchId)
    .first<{ n: number }>()
  if ((open?.n ?? 1) > 0) return
  const done = await db
    .prepare(
      'UPDATE batches SET completed_at = ? WHERE id = ? AND completed_at IS NULL RETURNING site_id',
    )
    .bind(now(), batchId)
    .first<{ site_id: string }>()
  if (!done) return
  const summary = await batchSummary(db, done.site_id, batchId)
  await emitEvent(env, done.site_id, 'batch.completed', batchId, summary)
}

/** Records an event once per (type, subject) and queues a delivery to each subscribed endpoint. */
export async function emitEvent(
  env: Bindings,
  siteId: string,
  type: EventType,
  subject: string,
  data: unknown,
): Promise<void> {
  const id = newId('evt')
  const payload = JSON.stringify({ type, timestamp: now(), data })
  const inserted = await env.DB.prepare(
    `INSERT INTO events (id, site_id, type, subject, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (type, subject) DO NOTHING`,
  )
    .bind(id, siteId, type, subject, payload, now())
    .run()
  if (inserted.meta.changes === 0) return
  const endpoints = await env.DB.prepare(
    'SELECT id, events FROM webhook_endpoints WHERE site_id = ? AND disabled_at IS NULL',
  )
    .bind(siteId)
    .all<{ id: string; events: string }>()
  const targets = endpoints.results
    .filter((e) => e.events.split(',').includes(type))
    .map((e) => e.id)
  // a /v1/extract batch also goes to its callback URL
  if (type === 'batch.completed') {
    const cb = await env.DB.prepare('SELECT callback_url FROM batches WHERE id = ?')
      .bind(subject)
      .first<{ callback_url: string | null }>()
    if (cb?.callback_url) targets.push('callback')
  }
  if (targets.length)
    await env.WEBHOOKS.sendBatch(
      targets.map((target) => ({ body: { kind: 'deliver', eventId: id, target } })),
    )
}
