/**
 * What an export writes per report, made from the one result view (core/contracts.ts): the edge
 * passes its views, the CLI reads the API's or wraps a local result file in one. Pure.
 */
import type { FieldValue, Task } from '../../schemas/index.ts'
import type { ResultView } from '../contracts.ts'
import type { ReportCoverage } from '../scoring/coverage.ts'

export interface ExportRecord {
  /** The site's own report id. */
  id: string
  batch?: string
  status: 'done' | 'failed' | 'queued'
  failure?: string
  model?: { name: string; digest: string }
  /** What the reading did not read (core/scoring/coverage.ts): the report's coverage confidence,
   * whether it was flagged as a whole, and the reasons; null where it was not assessed. */
  coverage?: { confidence: number; whole: boolean; reasons: string[] } | null
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

/** The report coverage as exports write it: confidence, whole-report flag, reasons in words. */
export function coverageSummary(
  c: ReportCoverage | null | undefined,
): { confidence: number; whole: boolean; reasons: string[] } | null {
  if (!c) return null
  return {
    confidence: Math.round(c.confidence * 1e4) / 1e4,
    whole: c.whole,
    reasons: c.reasons.map((r) => r.detail),
  }
}

/** An export's record of one report's view: the final value of each field (the merge is
 * finalValues', core/contracts.ts, not redone here), its confidence, flag and evidence. */
export function toExportRecord(task: Task, view: ResultView): ExportRecord {
  const rec: ExportRecord = { id: view.id, batch: view.batch, status: view.status, fields: {} }
  if (view.failure !== undefined) rec.failure = view.failure
  const result = view.result
  if (!result || view.status !== 'done') return rec
  const final = view.final ?? {}
  const flagged = new Set(result.flagged)
  if (result.model) rec.model = { name: result.model.name, digest: result.model.digest }
  rec.coverage = coverageSummary(result.report?.coverage)
  for (const f of task.fields) {
    const decided = final[f.key]
    const ev = result.evidence[f.key]
    rec.fields[f.key] = {
      value: decided ? (decided.value as FieldValue) : (result.values[f.key] ?? null),
      confidence: result.confidence[f.key] ?? null,
      flagged: flagged.has(f.key),
      source: decided?.source ?? 'model',
      ...(decided?.source === 'reviewer'
        ? { reviewer: decided.reviewer, reviewedAt: decided.at }
        : {}),
      evidence: ev ? { start: ev.start, end: ev.end } : null,
    }
  }
  return rec
}
