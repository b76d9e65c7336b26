/**
 * A number the report names plainly fills a field the student left empty: "LVEF 73 %" after a
 * line of vitals was read as no LVEF by the student, while its label names LVEF and nothing else,
 * no value used it, and nothing marks it as a reference, a prior or another exam's. Omissions are
 * the commonest error on wordings the student never saw; the label is the reader's, the value
 * the report's own characters. The filled value keeps the student's doubt (its probability is
 * what the student gave to "stated"), so confidence still weighs it. Pure.
 */
import type { NumberField, Task } from '../../schemas/task.ts'
import type { Reading } from '../ports/model-backend.ts'
import { GroundingContext, statedValue } from '../scoring/grounding.ts'
import type { ScannedText } from '../text/scan.ts'

type Settled = Pick<Reading, 'values' | 'probability'> & Partial<Pick<Reading, 'evidence'>>

/** A label score this high names one field: its words, chamber and quantity all agree. */
const plainName = 0.9
/** No other field may be named by the same number above this. */
const rivalName = 0.5

export function settleByNames(task: Task, scanned: ScannedText, reading: Settled): string[] {
  const fields = task.fields.filter((f): f is NumberField => f.kind === 'number')
  if (fields.length === 0) return []
  const g = new GroundingContext(task, scanned)
  for (const f of fields) {
    const v = reading.values[f.key]
    if (typeof v === 'number') g.groundNumber(f, v)
  }
  const read = g.numbersRead()
  const best = new Map<string, { value: number; label: number; i: number }>()
  read.numbers.forEach((n, i) => {
    const label = read.bestLabel[i] as number
    const fi = read.bestField[i] as number
    if (label < plainName || fi < 0 || read.used.has(i)) return
    if (n.inRange || n.distractor >= 0.3 || (n.place && n.place.role !== 'value')) return
    // the unit is written (or the layout gives it): a bare number is no statement
    if (n.unit === undefined || n.unit === 'other') return
    const f = task.fields[fi] as NumberField
    if ((reading.values[f.key] ?? null) !== null) return
    for (const [key, labels] of read.labels)
      if (key !== f.key && (labels[i] as number) > rivalName) return
    const value = statedValue(f, n)
    if (value === undefined) return
    const prior = best.get(f.key)
    if (!prior || label > prior.label) best.set(f.key, { value, label, i })
  })
  const changed: string[] = []
  for (const [key, b] of best) {
    const n = read.numbers[b.i]
    if (!n) continue
    reading.values[key] = b.value
    if (reading.evidence) reading.evidence[key] = { start: n.start, end: n.spanEnd }
    // the student's probability of a stated value is what it did not give to "not stated"
    if (key in reading.probability) reading.probability[key] = 1 - (reading.probability[key] ?? 1)
    changed.push(key)
  }
  return changed
}
