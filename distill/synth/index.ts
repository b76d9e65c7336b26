/**
 * The synthetic CMR corpus: patients across the six diagnosis groups written in varied house
 * styles, each with its exact gold record. Seeded: the same seed gives the same corpus.
 */
import { rng } from '../../core/random.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import { categories, drawPatient } from './patient.ts'
import { type StyleName, styles } from './styles.ts'

export interface SyntheticReport {
  id: string
  style: StyleName
  text: string
  /** Every field of the task: the stated values, null for the rest. */
  gold: TaskRecord
}

export interface CorpusOptions {
  count: number
  seed: number
  /** Styles to draw from (all by default): hold some out to test generalisation. */
  styles?: readonly StyleName[]
}

export function generateCorpus(task: Task, opts: CorpusOptions): SyntheticReport[] {
  const names = opts.styles ?? (Object.keys(styles) as StyleName[])
  const out: SyntheticReport[] = []
  for (let i = 0; i < opts.count; i++) {
    const r = rng(opts.seed * 1_000_003 + i)
    const category = categories[Math.floor(r() * categories.length)] as (typeof categories)[number]
    const style = names[Math.floor(r() * names.length)] as StyleName
    const rendered = styles[style]({ r, patient: drawPatient(r, category) })
    const gold: TaskRecord = {}
    for (const f of task.fields) gold[f.key] = rendered.gold[f.key] ?? null
    if ('CATEGORY' in gold) gold.CATEGORY = rendered.category
    out.push({
      id: `syn-${opts.seed}-${String(i).padStart(5, '0')}`,
      style,
      text: rendered.text,
      gold,
    })
  }
  return out
}
