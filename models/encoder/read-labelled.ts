/**
 * Labelled synthetic reports read through the real pipeline (K = 3, confidence included), as the
 * pairs `evaluate` scores: the step every per-family table of the students shares.
 */
import type { ReportPair } from '../../core/evaluation/compare.ts'
import { extractBatch } from '../../core/extraction/pipeline.ts'
import type { ModelBackend } from '../../core/ports/model-backend.ts'
import { defaultSampling } from '../../core/run-settings.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'

export async function readLabelled(
  task: Task,
  backend: ModelBackend,
  reports: readonly { id: string; text: string; gold: TaskRecord }[],
): Promise<ReportPair[]> {
  const results = await extractBatch(
    task,
    backend,
    reports.map((r) => ({ site: 's', batch: 'b', reportId: r.id, text: r.text })),
    defaultSampling,
  )
  return results.map((res, i) => ({
    id: res.reportId,
    pred: res.values,
    gold: reports[i]?.gold ?? {},
    confidence: res.confidence,
  }))
}
