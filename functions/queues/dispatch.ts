/**
 * The dispatcher (Cloudflare Queue consumer): moves a batch's pending reports to the SQS work
 * queue, 10 per SendMessageBatch, and marks them queued. A batch larger than one round re-queues
 * itself; a crash between send and mark re-sends, which the worker's deterministic result key and
 * the once-only result handling absorb.
 */

import { sendMessages } from '../../adapters/aws/fetch-clients.ts'
import type { ReportMessage } from '../../core/contracts.ts'
import type { ReportInput } from '../../core/reports/split.ts'
import { type Bindings, type DispatchMessage, settings } from '../env.ts'
import { markQueued, type PendingRow, pendingInBatch } from '../store/lifecycle.ts'
import { readRecords } from '../store/raw.ts'

const ROUND = 200

export async function dispatchBatch(env: Bindings, msg: DispatchMessage): Promise<void> {
  const s = settings(env)
  const rows = await pendingInBatch(env.DB, msg.batchId, ROUND)
  const byObject = new Map<string, PendingRow[]>()
  for (const r of rows) byObject.set(r.raw_key, [...(byObject.get(r.raw_key) ?? []), r])
  for (const [key, group] of byObject) {
    const reports = await readRecords<ReportInput>(
      env.RAW,
      key,
      group.map((r) => ({ offset: r.raw_offset, length: r.raw_length })),
    )
    for (let i = 0; i < group.length; i += 10) {
      const chunk = group.slice(i, i + 10)
      const entries = chunk.map((r, j) => ({
        id: r.id,
        body: JSON.stringify({
          kind: 'report',
          task: r.task,
          ref: {
            site: r.site_id,
            batch: r.first_batch_id,
            report: r.id,
            siteReportId: (reports[i + j] as ReportInput).id,
          },
          report: reports[i + j] as ReportInput,
        } satisfies ReportMessage),
      }))
      const { failed } = await sendMessages(s, entries)
      const sent = chunk.filter((r) => !failed.some((f) => f.id === r.id))
      await markQueued(
        env.DB,
        sent.map((r) => r.id),
      )
      if (failed.length)
        throw new Error(`SQS refused ${failed.length} message(s): ${failed[0]?.reason}`)
    }
  }
  if (rows.length === ROUND) await env.DISPATCH.send(msg)
}
