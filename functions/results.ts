/** Results as a site reads them: the worker's stored result with the site's own report id, and
 * the rows of a batch as JSON pages, NDJSON or CSV (one row per report, value and confidence per field). */

import { getResult } from '../adapters/aws/fetch-clients.ts'
import {
  type ResultView,
  readStoredResult,
  resultView,
  type StoredResult,
} from '../core/contracts.ts'
import { csvLine } from '../core/export/csv.ts'
import { coverageSummary } from '../core/export/record.ts'
import type { Task } from '../schemas/task.ts'
import type { Settings } from './env.ts'
import type { ReportRow } from './store/batches.ts'
import { decisionsOf } from './store/review.ts'

/** The stored result under `key`, read by the one parse; undefined while there is none. */
export async function storedResultOf(s: Settings, key: string): Promise<StoredResult | undefined> {
  const text = await getResult(s, key)
  return text === undefined ? undefined : readStoredResult(text)
}

/** A report's view (core/contracts.ts): its row, and once done its stored result and decisions. */
export async function reportView(s: Settings, db: D1Database, row: ReportRow): Promise<ResultView> {
  const status = row.status === 'done' ? 'done' : row.status === 'failed' ? 'failed' : 'queued'
  const head: ResultView = {
    report: row.id,
    id: row.external_id,
    batch: row.first_batch_id,
    status,
    ...(row.flagged !== null ? { flagged: row.flagged } : {}),
    ...(row.failure ? { failure: row.failure } : {}),
    ...(row.redacted ? { redacted: row.redacted.split(',') } : {}),
  }
  if (status !== 'done') return head
  const stored = await storedResultOf(s, row.result_key)
  if (!stored) return head
  return resultView(head, stored, await decisionsOf(db, row.id))
}

export function csvHeader(task: Task): string {
  const cols = [
    'id',
    'report',
    'status',
    'flagged_fields',
    'reviewed_fields',
    'report_coverage',
    'coverage_reasons',
  ]
  for (const f of task.fields) cols.push(f.key, `${f.key}_confidence`)
  return csvLine(cols)
}

export function csvRow(task: Task, v: ResultView): string {
  const r = v.result
  const reviewed = Object.entries(v.final ?? {})
    .filter(([, x]) => x.source === 'reviewer')
    .map(([k]) => k)
  const cover = coverageSummary(r?.report?.coverage)
  const cells: unknown[] = [
    v.id,
    v.report,
    v.status,
    r?.flagged?.join(' ') ?? v.failure ?? '',
    reviewed.join(' '),
    cover?.confidence ?? '',
    cover?.reasons.join('; ') ?? '',
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
