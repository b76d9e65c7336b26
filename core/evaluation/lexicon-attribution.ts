/**
 * The baseline the encoder must beat: the scanner's label attribution used alone as an extractor.
 * Each number field takes the candidate whose words name it best (ties: the first written), when
 * that score clears a floor and the number is not in a distractor clause; otherwise null.
 */
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import { fieldCandidates } from '../encoder/candidates.ts'
import { labelFieldsOf } from '../encoder/labels.ts'
import { derivedLabel, statesOtherFinding } from '../scoring/label-rules.ts'
import { type ReadText, scopeMentions, strongestMentions } from '../text/mentions.ts'
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

/**
 * The rule baseline for label tasks (ConText style, core/text/mentions.ts): each label takes its
 * strongest scoped mention (positive over uncertain over negative), null when none; a derived
 * label follows its rule.
 */
export function lexiconLabels(task: Task, text: ReadText): TaskRecord {
  const out: TaskRecord = {}
  const labels = labelFieldsOf(task)
  const strongest = strongestMentions(scopeMentions(task, text), labels.length)
  for (const [i, f] of labels.entries())
    if (!f.positiveWhenNone) out[f.key] = strongest[i]?.status ?? null
  for (const f of labels) {
    const d = derivedLabel(f, (k) => out[k], statesOtherFinding(task, f, text))
    if (d !== undefined) out[f.key] = d
  }
  return out
}
