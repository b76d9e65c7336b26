/**
 * What an export reads: one report's outcome, from a local `radstruct extract` result file or from
 * the API's result view (`GET /v1/batches/:id/results`), in one shape. Pure: the edge and the CLI
 * share it.
 */
import type { FieldValue, Task } from '../../schemas/index.ts'
import type { FinalValue } from '../contracts.ts'

export interface ExportRecord {
  /** The site's own report id. */
  id: string
  batch?: string
  status: 'done' | 'failed' | 'queued'
  failure?: string
  model?: { name: string; digest: string }
  /** Per field: the final value (a reviewer's where one decided), its confidence, whether the
   * model flagged it, and who set it. */
  fields: Record<
    string,
    {
      value: FieldValue
      confidence: number | null
      flagged: boolean
      source: 'model' | 'reviewer'
      /** Who set a reviewer's value, and when (ISO time). */
      reviewer?: string
      reviewedAt?: string
      evidence: { start: number; end: number } | null
    }
  >
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Reads either shape; throws a named error for anything else. */
export function toExportRecord(task: Task, data: unknown, where: string): ExportRecord {
  if (!isObj(data)) throw new Error(`${where}: not a result object`)
  // the API's view wraps the stored result; a local result file is the stored result itself
  const view = 'result' in data || 'status' in data
  const result = (view ? data.result : data) as Obj | undefined
  const id = String(view ? data.id : (data.reportId ?? data.id ?? ''))
  if (!id) throw new Error(`${where}: no report id`)
  const status = view ? (data.status as ExportRecord['status']) : 'done'
  const rec: ExportRecord = { id, status, fields: {} }
  if (typeof data.batch === 'string') rec.batch = data.batch
  if (typeof data.failure === 'string') rec.failure = data.failure
  if (!result || status !== 'done') return rec
  if (!isObj(result.values)) throw new Error(`${where}: the result has no values`)
  const values = result.values as Record<string, FieldValue>
  const confidence = (isObj(result.confidence) ? result.confidence : {}) as Record<string, number>
  const flagged = new Set(Array.isArray(result.flagged) ? (result.flagged as string[]) : [])
  const evidence = (isObj(result.evidence) ? result.evidence : {}) as Record<string, Obj | null>
  // the view's final values: the merge is finalValues' (core/contracts.ts), not redone here
  const final = (view && isObj(data.final) ? data.final : {}) as Record<string, FinalValue>
  if (isObj(result.model) && typeof result.model.name === 'string')
    rec.model = { name: result.model.name, digest: String(result.model.digest ?? '') }
  for (const f of task.fields) {
    const decided = final[f.key]
    const ev = evidence[f.key]
    rec.fields[f.key] = {
      value: decided ? (decided.value as FieldValue) : (values[f.key] ?? null),
      confidence: typeof confidence[f.key] === 'number' ? (confidence[f.key] as number) : null,
      flagged: flagged.has(f.key),
      source: decided?.source ?? 'model',
      ...(decided?.source === 'reviewer'
        ? { reviewer: decided.reviewer, reviewedAt: decided.at }
        : {}),
      evidence:
        ev && typeof ev.start === 'number' && typeof ev.end === 'number'
          ? { start: ev.start, end: ev.end }
          : null,
    }
  }
  return rec
}
