/**
 * Labelled synthetic reports read through the real pipeline (K = 3, confidence included), as the
 * pairs `evaluate` scores: the step every per-family table of the students shares.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
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

/** The task with its rules deciding (`explicit`) or only grounding (`never`): explicit label
 * mentions (cxr14) and an explicit category reading (bonemets3); undefined keeps the task file's. */
export function withDecides(task: Task, decides: 'never' | 'explicit' | undefined): Task {
  if (!decides) return task
  return {
    ...task,
    mentionsDecide: decides,
    fields: task.fields.map((f) =>
      f.kind === 'category' && f.reading ? { ...f, reading: { ...f.reading, decides } } : f,
    ),
  }
}

/** The hand-written real-language probes of a task (test/fixtures/real-language, see its README). */
export function realLanguageProbes(taskId: string): { text: string; expected: string }[] {
  const file = join(import.meta.dirname, '../../test/fixtures/real-language', `${taskId}.tsv`)
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [text = '', expected = ''] = line.split('\t')
      return { text: `${text.replaceAll('\\n', '\n')}\n`, expected }
    })
}
