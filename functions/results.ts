/** Results as a site reads them: the worker's stored result with the site's own report id, and
 * the rows of a batch as JSON pages, NDJSON or CSV (one row per report, value and confidence per field). */

import { type FinalValue, finalValues } from '../core/contracts.ts'
import { csvLine } from '../core/export/csv.ts'
import type { Task } from '../schemas/task.ts'
import { getResult } from './aws/clients.ts'
import type { Settings } from './env.ts'
import type { ReportRow } from './store/batches.ts'
import { decisionsOf } from './store/review.ts'

export interface ReportView {
  report: string
  id: string
  batch: string
  status: 'queued' | 'done' | 'failed'
  flagged?: number
  failure?: string
  redacted?: string[]
  result?: Record<string, unknown>
  /** Each field's final value and where it came from: the model, or a reviewer's decision. */
  final?: Record<string, FinalValue>
}

export async function reportView(s: Settings, db: D1Database, row: ReportRow): Promise<ReportView> {
  const status = row.status === 'done' ? 'done' : row.status === 'failed' ? 'failed' : 'queued'
  const view: ReportView = {
    report: row.id,
    id: row.external_id,
    batch: row.first_batch_id,
    status,
  }
  if (row.flagged !== null) view.flagged = row.flagged
  if (row.failure) view.failure = row.failure
  if (row.redacted) view.redacted = row.redacted.split(',')
  if (status === 'done') {
    const text = await getResult(s, row.result_key)
    if (text) {
      const {
        site: _s,
        batch: _b,
        reportId: _r,
        ...result
      } = JSON.parse(text) as Record<string, unknown>
      view.result = result
      view.final = finalValues(
        (result.values ?? {}) as Record<string, unknown>,
        await decisionsOf(db, row.id),
      )
    }
  }
  return view
}

export function csvHeader(task: Task): string {
  const cols = ['id', 'report', 'status', 'flagged_fields', 'reviewed_fields']
  for (const f of task.fields) cols.push(f.key, `${f.key}_confidence`)
  return csvLine(cols)
}

export function csvRow(task: Task, v: ReportView): string {
  const r = v.result as
    | { values?: Record<string, unknown>; confidence?: Record<string, number>; flagged?: string[] }
    | undefined
  const reviewed = Object.entries(v.final ?? {})
    .filter(([, x]) => x.source === 'reviewer')
    .map(([k]) => k)
  const cells: unknown[] = [
    v.id,
    v.report,
    v.status,
    r?.flagged?.join(' ') ?? v.failure ?? '',
    reviewed.join(' '),
  ]
  // the final value: a reviewer's correction where there is one
  for (const f of task.fields) {
    // (a reviewer's "not stated" is a null that wins over the model's value)
    const final = v.final?.[f.key]
    const value = final ? final.value : r?.values?.[f.key]
    cells.push(
      value ?? '',
      r?.confidence?.[f.key] === undefined ? '' : r.confidence[f.key]?.toFixed(3),
    )
  }
  return csvLine(cells)
}
