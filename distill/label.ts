/**
 * Teacher labelling, as the paper does it: one question per field ("only what is stated, never
 * computed"), three samples at temperature 0.3, the majority as the label. Every finished label is
 * appended to a JSONL store at once, so a crash loses nothing and a rerun picks up where it
 * stopped. Assembled records are scored by the confidence engine for the review list.
 */
import { appendFile, readFile } from 'node:fs/promises'
import type { Correction } from '../core/contracts.ts'
import type { GenerativeBackend } from '../core/ports/model-backend.ts'
import { scoreRecord } from '../core/scoring/index.ts'
import { sameFieldValue } from '../core/scoring/stability.ts'
import { fieldGrammar } from '../schemas/grammar.ts'
import type { FieldValue, TaskRecord } from '../schemas/record.ts'
import type { Field, Task } from '../schemas/task.ts'

export interface LabelLine {
  reportId: string
  field: string
  /** The teacher's samples; null for an answer that did not parse. */
  samples: (FieldValue | 'invalid')[]
  value: FieldValue
}

export function fieldQuestion(task: Task, field: Field, report: string): string {
  const what =
    field.kind === 'number'
      ? `the ${field.label} in ${field.unit}`
      : field.kind === 'category'
        ? `the ${field.label} (one of ${field.values.join(', ')})`
        : `the status of "${field.label}" (positive, negative or uncertain)`
  return [
    `Read the ${task.title} report below and give ${what}.`,
    'Give only a value the report states for this examination, converted to that unit if needed.',
    'Never compute it from other values; ignore prior studies, other tests and reference ranges.',
    'Answer null when the report does not state it.',
    '',
    'Report:',
    report.trim(),
    '',
    'Answer:',
  ].join('\n')
}

function parseAnswer(text: string): FieldValue | 'invalid' {
  try {
    const v = JSON.parse(text.trim()) as unknown
    return v === null || typeof v === 'number' || typeof v === 'string' ? v : 'invalid'
  } catch {
    return 'invalid'
  }
}

/** The most common parsed answer (the first on ties); null when none parsed. */
export function majority(samples: readonly (FieldValue | 'invalid')[]): FieldValue {
  let best: FieldValue = null
  let bestCount = 0
  for (const s of samples) {
    if (s === 'invalid') continue
    const count = samples.filter((o) => o !== 'invalid' && sameFieldValue(o, s)).length
    if (count > bestCount) {
      best = s
      bestCount = count
    }
  }
  return best
}

export async function readLabels(path: string): Promise<LabelLine[]> {
  const text = await readFile(path, 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelLine)
}

export interface LabelOptions {
  task: Task
  teacher: GenerativeBackend
  reports: readonly { id: string; text: string }[]
  storePath: string
  samples?: number
  temperature?: number
  concurrency?: number
  /** Called after each stored label with (done, total). */
  onProgress?: (done: number, total: number) => void
  /** Stop after this many new labels (to test resumption). */
  limit?: number
}

/** Labels every (report, field) not yet in the store. Returns how many it added. */
export async function labelCorpus(opts: LabelOptions): Promise<number> {
  const { task, teacher, reports, storePath } = opts
  const done = new Set((await readLabels(storePath)).map((l) => `${l.reportId}\u0000${l.field}`))
  const todo: { id: string; text: string; field: Field }[] = []
  for (const r of reports)
    for (const f of task.fields)
      if (!done.has(`${r.id}\u0000${f.key}`)) todo.push({ ...r, field: f })
  const total = reports.length * task.fields.length
  let finished = total - todo.length
  let added = 0
  let next = 0
  const worker = async () => {
    for (;;) {
      if (opts.limit !== undefined && added >= opts.limit) return
      const job = todo[next++]
      if (!job) return
      const out = await teacher.generate({
        task,
        prompt: fieldQuestion(task, job.field, job.text),
        grammar: fieldGrammar(job.field),
        samples: opts.samples ?? 3,
        temperature: opts.temperature ?? 0.3,
        seed: 1,
        maxTokens: 24,
      })
      const samples = out.samples.map((s) => parseAnswer(s.text))
      const line: LabelLine = {
        reportId: job.id,
        field: job.field.key,
        samples,
        value: majority(samples.length ? samples : [parseAnswer(out.greedy.text)]),
      }
      await appendFile(storePath, `${JSON.stringify(line)}\n`)
      added++
      finished++
      opts.onProgress?.(finished, total)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker))
  return added
}

export interface ReviewItem {
  reportId: string
  field: string
  value: FieldValue
  confidence: number
  signals: Record<string, number | undefined>
}

/** Records assembled from the labels, and every label scored, lowest confidence first. */
export function assembleAndScore(
  task: Task,
  reports: readonly { id: string; text: string }[],
  labels: readonly LabelLine[],
): { records: Map<string, TaskRecord>; review: ReviewItem[] } {
  const byReport = new Map<string, LabelLine[]>()
  for (const l of labels) byReport.set(l.reportId, [...(byReport.get(l.reportId) ?? []), l])
  const records = new Map<string, TaskRecord>()
  const review: ReviewItem[] = []
  for (const r of reports) {
    const lines = byReport.get(r.id) ?? []
    if (lines.length < task.fields.length) continue // not finished: no record yet
    const record: TaskRecord = {}
    const k = Math.max(...lines.map((l) => l.samples.length))
    const samples: (TaskRecord | null)[] = Array.from({ length: k }, () => ({}))
    for (const l of lines) {
      record[l.field] = l.value
      l.samples.forEach((s, i) => {
        ;(samples[i] as TaskRecord)[l.field] = s === 'invalid' ? null : s
      })
    }
    records.set(r.id, record)
    const scored = scoreRecord(task, { values: record, text: r.text, samples })
    for (const f of task.fields) {
      review.push({
        reportId: r.id,
        field: f.key,
        value: record[f.key] ?? null,
        confidence: scored.confidence[f.key] as number,
        signals: { ...scored.signals[f.key] },
      })
    }
  }
  review.sort((a, b) => a.confidence - b.confidence)
  return { records, review }
}

export type { Correction }

/** Applies corrections to records; returns the problems (unknown report or field) instead of throwing. */
export function applyCorrections(
  task: Task,
  records: Map<string, TaskRecord>,
  corrections: readonly Correction[],
): string[] {
  const keys = new Set(task.fields.map((f) => f.key))
  const problems: string[] = []
  corrections.forEach((c, i) => {
    const record = records.get(c.reportId)
    if (!record) problems.push(`correction ${i + 1}: no record for report '${c.reportId}'`)
    else if (!keys.has(c.field))
      problems.push(`correction ${i + 1}: '${c.field}' is not a field of ${task.id}`)
    else record[c.field] = c.value
  })
  return problems
}
