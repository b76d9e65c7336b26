/**
 * Labelled synthetic reports read through the real pipeline (K = 3, confidence included), as the
 * pairs `evaluate` scores: the step every per-family table of the students shares.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReportPair } from '../../core/evaluation/compare.ts'
import { lexiconLabels } from '../../core/evaluation/lexicon-attribution.ts'
import { extractBatch } from '../../core/extraction/pipeline.ts'
import type { ModelBackend } from '../../core/ports/model-backend.ts'
import { defaultSampling } from '../../core/run-settings.ts'
import { readCategory } from '../../core/text/category-reading.ts'
import { readableText } from '../../core/text/sections.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import type { CategoryField, Task } from '../../schemas/task.ts'

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

/** The rules' record of a report: each label's scoped mentions (cxr14), or the category's reading. */
export function rulesRecord(task: Task, text: string): TaskRecord {
  if (task.fields.some((f) => f.kind === 'label')) return lexiconLabels(task, text)
  const f = task.fields.find((x): x is CategoryField => x.kind === 'category') as CategoryField
  return { [f.key]: readCategory(task, f, readableText(text, task.input.sections))?.value ?? null }
}

export interface Probe {
  text: string
  /** The line's expectations as written ("Cardiomegaly=positive;No Finding=negative", or "2"). */
  line: string
  /** [field, expected answer] pairs: the labels a line names, or the category. */
  expected: [string, string][]
}

/** The hand-written real-language probes of a task (test/fixtures/real-language, see its README). */
export function realLanguageProbes(task: Task): Probe[] {
  const file = join(import.meta.dirname, '../../test/fixtures/real-language', `${task.id}.tsv`)
  const category = task.fields.find((f) => f.kind === 'category')
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((row) => {
      const [text = '', line = ''] = row.split('\t')
      const expected: [string, string][] = category
        ? [[category.key, line]]
        : line.split(';').map((kv) => kv.split('=') as [string, string])
      return { text: `${text.replaceAll('\\n', '\n')}\n`, line, expected }
    })
}

/** A value as a probe writes it: an unset derived label (No Finding) is its negative. */
export function probeAnswer(task: Task, key: string, value: unknown): string {
  const f = task.fields.find((x) => x.key === key)
  const derived = f?.kind === 'label' && f.positiveWhenNone !== undefined
  return String(value ?? (derived ? 'negative' : null))
}
