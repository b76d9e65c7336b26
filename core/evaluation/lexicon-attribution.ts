/**
 * The baseline the encoder must beat: the scanner's label attribution used alone as an extractor.
 * Each number field takes the candidate whose words name it best (ties: the first written), when
 * that score clears a floor and the number is not in a distractor clause; otherwise null.
 */
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import { fieldCandidates } from '../encoder/candidates.ts'
import { labelMentions } from '../scoring/grounding-words.ts'
import { derivedLabel } from '../scoring/label-rules.ts'
import type { ScannedText } from '../text/scan.ts'

/** Label score a candidate needs (the lexicon's floor for an unexplained number is 0.25). */
const minLabel = 0.3

export function lexiconAttribution(task: Task, scan: ScannedText): TaskRecord {
  const out: TaskRecord = {}
  const byField = fieldCandidates(task, scan)
  for (const f of task.fields) {
    if (f.kind !== 'number') continue
    let best: { value: number; label: number } | undefined
    for (const c of byField.get(f.key) ?? []) {
      const [label = 0, , , distractor = 0] = c.features
      if (distractor > 0.5 || label < minLabel) continue
      if (!best || label > best.label) best = { value: c.value, label }
    }
    out[f.key] = best ? best.value : null
  }
  return out
}

const statusRank: Record<string, number> = { positive: 3, uncertain: 2, negative: 1 }

/**
 * The rule baseline for label tasks (NegEx style): each label's mentions by its aliases, each
 * given a status by the task's cues in its sentence; a label takes its strongest mention
 * (positive over uncertain over negative), null when none; a derived label follows its rule.
 */
export function lexiconLabels(task: Task, text: string): TaskRecord {
  const out: TaskRecord = {}
  for (const f of task.fields) {
    if (f.kind !== 'label' || f.positiveWhenNone) continue
    let best: string | null = null
    for (const m of labelMentions(task, f, text))
      if ((statusRank[m.status] ?? 0) > (best ? (statusRank[best] ?? 0) : 0)) best = m.status
    out[f.key] = best
  }
  for (const f of task.fields) {
    if (f.kind !== 'label') continue
    const d = derivedLabel(f, (k) => out[k])
    if (d !== undefined) out[f.key] = d
  }
  return out
}
