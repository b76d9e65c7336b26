/**
 * The student prompt: the one text a model sees for a report. The worker, the distillation export
 * and any server backend use it, so that a student is trained on exactly what it will be asked.
 */
import type { Field, Task } from '../schemas/task.ts'

function describe(f: Field): string {
  switch (f.kind) {
    case 'number':
      return `${f.key}: ${f.label} (${f.unit})`
    case 'category':
      return `${f.key}: ${f.label}, one of ${f.values.join(', ')}`
    case 'label':
      return `${f.key}: positive, negative, uncertain or null`
    case 'text':
      return `${f.key}: ${f.label}`
  }
}

/**
 * `compact` (the default, for distilled students): task id and report only, since the grammar
 * forces the keys. `instruct` adds the instructions and field list, for general models behind a
 * server backend.
 */
export function studentPrompt(
  task: Task,
  report: string,
  style: 'compact' | 'instruct' = 'compact',
): string {
  if (style === 'compact')
    return `### Task: ${task.id}\n### Report:\n${report.trim()}\n### Record:\n`
  return [
    `Extract structured data from the radiology report below. ${task.description}`,
    'Give only values the report states for this examination (not prior studies, other tests or reference ranges); null when it does not state one.',
    'Fields:',
    ...task.fields.map((f) => `- ${describe(f)}`),
    '',
    'Report:',
    report.trim(),
    '',
    'JSON record:',
  ].join('\n')
}

/**
 * A record as the student writes it: every field in task order, no whitespace, exactly what the
 * grammar (schemas/grammar.ts) admits. The fine-tuning set's answers use it.
 */
export function formatRecord(task: Task, record: Readonly<Record<string, unknown>>): string {
  return `{${task.fields.map((f) => `${JSON.stringify(f.key)}:${JSON.stringify(record[f.key] ?? null)}`).join(',')}}`
}
