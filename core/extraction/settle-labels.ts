/**
 * A label task whose mentions decide (`mentionsDecide: 'explicit'`): where every scoped mention of
 * a label states one status ("no pneumothorax", "old healed rib fractures"), that status wins over
 * a model that says otherwise; a label the report only asks about ("exclude pneumothorax",
 * "Fracture?") or never names stays unset: a student's finding with no word of the report behind
 * it (a placeholder read as a device, a granuloma read as a lung lesion) is not a statement. The
 * rules read what the report says the way a person does; the student decides where the mentions
 * contradict each other. Pure.
 */
import type { Task } from '../../schemas/task.ts'
import type { Reading } from '../ports/model-backend.ts'
import { derivedLabel, statesOtherFinding } from '../scoring/label-rules.ts'
import { agreedStatuses, type ReadText, scopeMentions } from '../text/mentions.ts'

type Settled = Pick<Reading, 'values' | 'probability' | 'choices'> &
  Partial<Pick<Reading, 'evidence'>>

/**
 * Sets each explicitly stated label to its stated status, with the model's probability of that
 * status (0 when unknown; none for a model without probabilities) and its first mention as the
 * evidence; a label no mention names is unset. Then re-derives the derived labels (No Finding,
 * also unset by a finding outside the labels); a derived value that changes takes the model's
 * probability of the other outcome. Returns the fields it changed.
 */
export function settleByMentions(task: Task, text: ReadText, reading: Settled): string[] {
  if (task.mentionsDecide !== 'explicit') return []
  const labels = task.fields.filter((f) => f.kind === 'label')
  const scoped = scopeMentions(task, text)
  const agreed = agreedStatuses(scoped, labels.length)
  const changed: string[] = []
  for (const [i, f] of labels.entries()) {
    // a label the report only asks about ("exclude pneumothorax", "Fracture?") or never names is
    // not stated, whatever the student reads into the words around it
    const named = scoped.mentions.some((m) => m.label === i)
    const status = named ? agreed[i] : null
    if (f.positiveWhenNone || status === undefined || (reading.values[f.key] ?? null) === status)
      continue
    reading.values[f.key] = status
    const mention = scoped.mentions.find((m) => m.label === i)
    if (reading.evidence && mention)
      reading.evidence[f.key] = { start: mention.start, end: mention.end }
    else if (reading.evidence) delete reading.evidence[f.key]
    // a model without probabilities (a generative student) gets none
    if (f.key in reading.probability)
      reading.probability[f.key] = reading.choices?.[f.key]?.[String(status)] ?? 0
    changed.push(f.key)
  }
  for (const f of labels) {
    const derived = derivedLabel(f, (k) => reading.values[k], statesOtherFinding(task, f, text))
    if (derived === undefined || derived === (reading.values[f.key] ?? null)) continue
    reading.values[f.key] = derived
    const p = reading.probability[f.key]
    if (p !== undefined) reading.probability[f.key] = 1 - p
    changed.push(f.key)
  }
  return changed
}
