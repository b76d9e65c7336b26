/**
 * The encoder's training set: one JSON line per report with the exact tensors inference feeds the
 * model (core/encoder/inputs.ts) and the targets: for each number field, which of its candidates
 * state the labelled value (a labelled value marks every mention that states it; none: "not
 * stated"), and the category. Gold may come from the synthetic corpus, a teacher's labels or
 * reviewers' corrections: all are a record of values for a report text.
 */
import { encoderInputs } from '../core/encoder/inputs.ts'
import { labelClasses } from '../core/encoder/labels.ts'
import { scanText } from '../core/text/scan.ts'
import { readableText } from '../core/text/sections.ts'
import type { TaskRecord } from '../schemas/record.ts'
import type { CategoryField, Task } from '../schemas/task.ts'

export interface LabelledReport {
  id: string
  text: string
  gold: TaskRecord
  families?: string[]
}

/** Candidate positions per field that state the gold value; [] when the gold is null; null
 * when a value is labelled that no candidate states (left out of the loss, counted as a miss). */
export function candidateTargets(
  inputs: ReturnType<typeof encoderInputs>,
  gold: TaskRecord,
): (number[] | null)[] {
  return inputs.fields.map((f, fi) => {
    const g = gold[f.key]
    if (g === null || g === undefined) return []
    const hits: number[] = []
    for (const [ci, c] of (inputs.candidates[fi] ?? []).entries())
      if (Math.abs(c.value - Number(g)) < 1e-6) hits.push(ci)
    return hits.length ? hits : null
  })
}

export function categoryField(task: Task): CategoryField | undefined {
  return task.fields.find((f): f is CategoryField => f.kind === 'category')
}

const round = (x: number) => Math.round(x * 1000) / 1000

/** The JSON line of one labelled report. */
export function encoderExample(task: Task, report: LabelledReport): string {
  // the text as the task reads it (input.sections), exactly as the pipeline does at inference
  const inputs = encoderInputs(task, scanText(task, readableText(report.text, task.input.sections)))
  const cat = categoryField(task)
  const gc = cat ? report.gold[cat.key] : null
  const words = inputs.tokenFeatures.length > 0 || inputs.labels.length > 0
  return JSON.stringify({
    id: report.id,
    families: report.families ?? [],
    batch: inputs.batch,
    length: inputs.length,
    ids: Array.from(inputs.ids, Number),
    column: Array.from(inputs.column, Number),
    gap: Array.from(inputs.gap, Number),
    width: inputs.width,
    candidateToken: Array.from(inputs.candidateToken, Number),
    candidateFeatures: Array.from(inputs.candidateFeatures, round),
    candidateMask: Array.from(inputs.candidateMask),
    targets: candidateTargets(inputs, report.gold),
    category: cat && gc !== null && gc !== undefined ? cat.values.indexOf(gc as string) : -1,
    ...(words
      ? {
          tokenFeatures: Array.from(inputs.tokenFeatures),
          labelFeatures: Array.from(inputs.labelFeatures),
          // per label: 0 not mentioned, then labelClasses; -1 unknown (left out of the loss)
          labelTargets: inputs.labels.map((f) => {
            const g = report.gold[f.key]
            if (g === undefined) return -1
            return labelClasses.indexOf(g as (typeof labelClasses)[number])
          }),
        }
      : {}),
  })
}
