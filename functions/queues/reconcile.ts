/**
 * The edge also learns from the stored objects (cron): a report queued for a while whose result
 * is in the results store is marked done, so a result event that never arrived (edge down, network)
 * loses nothing. Counted once, like an event.
 */
import { getResult } from '../aws/clients.ts'
import { type Bindings, settings } from '../env.ts'
import { recordOutcome } from '../store/progress.ts'

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
    const flagged = (JSON.parse(text) as { flagged?: unknown[] }).flagged?.length ?? 0
    if (await recordOutcome(env, r.result_key, { status: 'done', flagged })) found++
  }
  return { checked: rows.results.length, found }
}
