/**
 * The sweeper (the cron): makes sure every accepted report ends as a result or a visible failure,
 * whatever was lost on the way.
 * - Reports left pending (the upload's dispatch was lost, or SQS refused it) are dispatched again.
 * - Reports queued for a while are checked against the results store: a stored result or a final
 *   failure record counts as its event would (the event never arrived). One queued past the work
 *   queue's lifetime with neither has lost its message: it is dispatched again.
 * - After MAX_DISPATCHES a report fails, with the reason.
 * The queued walk keeps a cursor, so a backlog of result-less reports is walked through, never
 * re-read from its oldest rows. The same cron expires idempotency keys.
 */

import { getResult } from '../../adapters/aws/fetch-clients.ts'
import { failureRecordSchema } from '../../core/contracts.ts'
import { type Bindings, settings } from '../env.ts'
import { expireKeys } from '../store/idempotency.ts'
import {
  batchesPendingSince,
  pendingOverAttempts,
  queuedSince,
  readCursor,
  requeue,
  touchPending,
  writeCursor,
} from '../store/lifecycle.ts'
import { recordOutcome, storedOutcome } from '../store/progress.ts'

/** Idempotency keys are kept a day (the draft's suggestion); a request that died while running
 * (an isolate evicted mid-upload) frees its key after an hour instead of answering 409 forever. */
export async function expireIdempotencyKeys(env: Bindings, at = Date.now()): Promise<number> {
  const day = new Date(at - 24 * 3600_000).toISOString()
  const hour = new Date(at - 3600_000).toISOString()
  return expireKeys(env.DB, day, hour)
}

export interface SweepCounts {
  /** Batches whose pending reports were dispatched again. */
  redispatched: number
  /** Queued reports looked at in the store. */
  checked: number
  /** Results (or final failures) found in the store whose event never arrived. */
  found: number
  /** Queued reports whose message was lost, put back to pending. */
  requeued: number
  /** Reports given up on. */
  failed: number
}

const iso = (ms: number) => new Date(ms).toISOString()

export async function sweep(env: Bindings, at = Date.now()): Promise<SweepCounts> {
  const s = settings(env)
  const counts: SweepCounts = { redispatched: 0, checked: 0, found: 0, requeued: 0, failed: 0 }
  const dispatch = new Set<string>()

  for (const batch of await batchesPendingSince(
    env.DB,
    iso(at - s.PENDING_AFTER_SECONDS * 1000),
    50,
  )) {
    for (const key of await pendingOverAttempts(env.DB, batch, s.MAX_DISPATCHES))
      if (
        await recordOutcome(env, key, {
          status: 'failed',
          reason: `not queued after ${s.MAX_DISPATCHES} dispatches: the work queue refused or lost it`,
        })
      )
        counts.failed++
    await touchPending(env.DB, batch)
    dispatch.add(batch)
  }

  const cursor = await readCursor(env.DB, 'queued')
  const rows = await queuedSince(
    env.DB,
    iso(at - s.RECONCILE_AFTER_SECONDS * 1000),
    cursor,
    s.SWEEP_LIMIT,
  )
  const lifetimeEnd = iso(at - s.QUEUED_LIFETIME_SECONDS * 1000)
  for (const r of rows) {
    counts.checked++
    const stored = await getResult(s, r.result_key)
    if (stored !== undefined) {
      if (await recordOutcome(env, r.result_key, storedOutcome(stored))) counts.found++
      continue
    }
    const failure = await getResult(s, `failures/${r.result_key}`)
    const record = failure === undefined ? undefined : readFailure(failure)
    if (record?.final) {
      if (await recordOutcome(env, r.result_key, { status: 'failed', reason: record.reason }))
        counts.found++
      continue
    }
    if (r.updated_at > lifetimeEnd) continue
    // neither a result nor a final failure within the queue's lifetime: the message is gone
    const reason =
      r.attempts >= s.MAX_DISPATCHES ? `no result after ${r.attempts} dispatches` : undefined
    if (reason) {
      if (await recordOutcome(env, r.result_key, { status: 'failed', reason })) counts.failed++
    } else if (await requeue(env.DB, r.id)) {
      counts.requeued++
      dispatch.add(r.first_batch_id)
    }
  }
  // a full page: go on from here next time; a short one: the walk is through, start again
  const last = rows.at(-1)
  await writeCursor(
    env.DB,
    'queued',
    rows.length === s.SWEEP_LIMIT && last
      ? { updated_at: last.updated_at, id: last.id }
      : undefined,
  )

  for (const batchId of dispatch) await env.DISPATCH.send({ kind: 'dispatch', batchId })
  counts.redispatched = dispatch.size
  return counts
}

function readFailure(text: string) {
  try {
    const r = failureRecordSchema.safeParse(JSON.parse(text))
    return r.success ? r.data : undefined
  } catch {
    return undefined
  }
}
