/**
 * The choices the encoder ranks for each number field: every number mention of the report,
 * converted to the field's unit (a unitless number may be any of the field's units), kept when the
 * field's hard limits allow it; the same rule as `statedValues`. Each candidate carries what the
 * scanner knows of it for that field (the lexicon's label score, distractor cues, unit, plausibility),
 * so the model learns when to trust the lexicon and when the layout says otherwise.
 */
import type { NumberField, Task } from '../../schemas/task.ts'
import { buildContexts, labelScore } from '../scoring/number-context.ts'
import type { NumberMention, ScannedText } from '../text/scan.ts'
import { conversionFactors, tidy } from '../text/stated-values.ts'

export interface Candidate {
  /** Index into scan.numbers. */
  mention: number
  /** The value in the field's unit. */
  value: number
  features: number[]
}

export const candidateFeatureNames = [
  'label',
  'labelOfBest',
  'isBest',
  'distractor',
  'unitExact',
  'unitMissing',
  'converted',
  'placeInLimits',
  'zScore',
  'pairMatch',
  'pairStray',
  'bracketed',
  'inTableColumn',
  'bestForOthers',
  'sameValueCount',
  'labelRank',
] as const
export const candidateFeatureCount = candidateFeatureNames.length

function zScore(f: NumberField, v: number): number {
  const r = f.reference
  const n = r?.any ?? r?.male ?? r?.female
  if (!n) return 0
  return Math.max(-4, Math.min(4, (v - n.mean) / n.sd)) / 4
}

/** Per number field (task order, numbers only), its candidates. */
export function fieldCandidates(task: Task, scan: ScannedText): Map<string, Candidate[]> {
  const contexts = buildContexts(task, scan)
  const fields = task.fields.filter((f): f is NumberField => f.kind === 'number')
  const raw = new Map<string, { mention: number; value: number; factor: number; label: number }[]>()
  // which field each mention names best, to tell the model when another field claims it
  const bestField = new Map<number, number>()
  const bestLabel = new Map<number, number>()
  for (const f of fields) {
    const list: { mention: number; value: number; factor: number; label: number }[] = []
    for (const [i, n] of scan.numbers.entries()) {
      if (n.inRange || n.unit === 'other') continue
      if (f.pairIndex !== undefined && n.pairIndex !== undefined && n.pairIndex !== f.pairIndex)
        continue
      let label: number | undefined
      for (const factor of conversionFactors(f, n)) {
        const value = tidy(n.value * factor, factor)
        if (value < f.limits[0] || value > f.limits[1]) continue
        label ??= labelScore(task, f, contexts[i] as (typeof contexts)[number])
        list.push({ mention: i, value, factor, label })
        if (label > (bestLabel.get(i) ?? 0)) {
          bestLabel.set(i, label)
          bestField.set(i, fields.indexOf(f))
        }
      }
    }
    raw.set(f.key, list)
  }
  const claims = new Map<number, number>()
  for (const f of fields) {
    const list = raw.get(f.key) ?? []
    let max = 0
    for (const c of list) max = Math.max(max, c.label)
    for (const c of list)
      if (c.label === max && max > 0.3) claims.set(c.mention, (claims.get(c.mention) ?? 0) + 1)
  }
  const out = new Map<string, Candidate[]>()
  for (const [fi, f] of fields.entries()) {
    const list = raw.get(f.key) ?? []
    let max = 1e-6
    for (const c of list) max = Math.max(max, c.label)
    const rank = new Map(
      [...new Set(list.map((c) => c.label))].sort((a, b) => b - a).map((l, i) => [l, i]),
    )
    const sameValue = new Map<number, number>()
    for (const c of list) sameValue.set(c.value, (sameValue.get(c.value) ?? 0) + 1)
    out.set(
      f.key,
      list.map((c) => {
        const n = scan.numbers[c.mention] as NumberMention
        const isBest = c.label === max
        const others = (claims.get(c.mention) ?? 0) - (isBest && max > 0.3 ? 1 : 0)
        const same = sameValue.get(c.value) ?? 1
        return {
          mention: c.mention,
          value: c.value,
          features: [
            c.label,
            c.label / max,
            isBest ? 1 : 0,
            n.distractor,
            n.unit === f.unit ? 1 : 0,
            n.unit === undefined ? 1 : 0,
            c.factor === 1 ? 0 : 1,
            (c.value - f.limits[0]) / (f.limits[1] - f.limits[0]),
            zScore(f, c.value),
            f.pairIndex !== undefined && n.pairIndex === f.pairIndex ? 1 : 0,
            f.pairIndex === undefined && n.pairIndex !== undefined ? 1 : 0,
            n.bracketAfterPrevious ? 1 : 0,
            n.columnSet ? 1 : 0,
            Math.min(others, 4) / 4 + (bestField.get(c.mention) === fi ? 0 : 0.25),
            Math.min(same, 4) / 4,
            1 / (1 + (rank.get(c.label) ?? 0)),
          ],
        }
      }),
    )
  }
  return out
}
