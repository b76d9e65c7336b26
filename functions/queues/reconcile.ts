/**
 * The edge also learns from the stored objects (cron): a report queued for a while whose result
 * is in the results store is marked done, so a result event that never arrived (edge down, network)
 * loses nothing. Counted once, like an event. The same cron expires idempotency keys.
 */
import { flaggedCount } from '../../core/result.ts'
import { getResult } from '../aws/clients.ts'
import { type Bindings, settings } from '../env.ts'
import { recordOutcome } from '../store/progress.ts'

/** Idempotency keys are kept a day (the draft's suggestion); a request that died while running
 * (an isolate evicted mid-upload) frees its key after an hour instead of answering 409 forever. */
export async function expireIdempotencyKeys(env: Bindings, at = Date.now()): Promise<number> {
  const day = new Date(at - 24 * 3600_000).toISOString()
  const hour = new Date(at - 3600_000).toISOString()
  const r = await env.DB.prepare(
    "DELETE FROM idempotency_keys WHERE created_at < ? OR (state = 'running' AND created_at < ?)",
  )
    .bind(day, hour)
    .run()
  return r.meta.changes
}

export async function reconcile(
  env: Bindings,
  limit = 200,
): Promise<{ checked: number; found: number }> {
  const s = settings(env)
  const before = new Date(Date.now() - s.RECONCILE_AFTER_SECONDS * 1000).toISOString()
  const rows = await env.DB.prepare(
    "SELECT result_key FROM reports WHERE status = 'queued' AND updated_at <= ? ORDER BY updated_at LIMIT ?",
  )
    .bind(before, limit)
    .all<{ result_key: string }>()
  let found = 0
  for (const r of rows.results) {
    const text = await getResult(s, r.result_key)
    if (text === undefined) continue
    const flagged = flaggedCount(text)
    if (await recordOutcome(env, r.result_key, { status: 'done', flagged })) found++
  }
  return { checked: rows.results.length, found }
}
