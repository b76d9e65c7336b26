/**
 * Plants known errors in gold records, the way extractors go wrong: unit slips, typos, left/right
 * swaps, omissions, hallucinations, values taken from another exam, a label's status flipped and
 * a wrong category. Seeded, so a calibration run is reproducible.
 */
import type { FieldValue, TaskRecord } from '../../schemas/record.ts'
import type { Field, NumberField, Task } from '../../schemas/task.ts'
import { labelStatuses } from '../../schemas/task.ts'
import { decimals } from '../numbers.ts'
import { pick, rng } from '../random.ts'

export { rng }

export const errorKinds = [
  'unit_slip',
  'typo',
  'swap',
  'omission',
  'hallucination',
  'distractor',
  'wrong_status',
  'wrong_category',
] as const
export type ErrorKind = (typeof errorKinds)[number]

export interface Perturbed {
  record: TaskRecord
  /** Field -> the kind of error planted in it. */
  planted: Record<string, ErrorKind>
}

function round(v: number, d: number): number {
  return Number(v.toFixed(Math.min(Math.max(d, 0), 6)))
}

/** A digit-level typo: transposed digits, a wrong digit, or a slipped decimal point. */
export function typo(v: number, r: () => number): number {
  const d = decimals(v)
  const s = v.toFixed(d)
  const digits = [...s].map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0)
  for (let attempt = 0; attempt < 8; attempt++) {
    const mode = Math.floor(r() * 3)
    let out: number
    if (mode === 0 && digits.length >= 2) {
      const j = Math.floor(r() * (digits.length - 1))
      const a = digits[j] as number
      const b = digits[j + 1] as number
      const cs = [...s]
      ;[cs[a], cs[b]] = [cs[b] as string, cs[a] as string]
      out = Number(cs.join(''))
    } else if (mode === 1) {
      const i = pick(r, digits) as number
      const cs = [...s]
      cs[i] = String((Number(cs[i]) + 1 + Math.floor(r() * 8)) % 10)
      out = Number(cs.join(''))
    } else out = round(r() < 0.5 ? v * 10 : v / 10, d + 1)
    if (Number.isFinite(out) && out !== v && out > 0) return out
  }
  return round(v * 10, d)
}

/** Field pairs that differ only in one section-scoped dimension (LV/RV, LA/RA). */
export function swapPairs(task: Task): [string, string][] {
  const dims = task.vocabulary?.dimensions ?? {}
  const nums = task.fields.filter((f): f is NumberField => f.kind === 'number')
  const pairs: [string, string][] = []
  for (let i = 0; i < nums.length; i++) {
    for (let j = i + 1; j < nums.length; j++) {
      const a = (nums[i] as NumberField).concepts
      const b = (nums[j] as NumberField).concepts
      const keys = new Set([...Object.keys(a), ...Object.keys(b)])
      const diff = [...keys].filter((k) => a[k] !== b[k])
      if (
        diff.length === 1 &&
        dims[diff[0] as string]?.scope === 'section' &&
        a[diff[0] as string] &&
        b[diff[0] as string]
      ) {
        pairs.push([(nums[i] as NumberField).key, (nums[j] as NumberField).key])
      }
    }
  }
  return pairs
}

export interface PerturbOptions {
  seed: number
  /** Copies per error kind per report. */
  copies: number
  /** Field -> a value the report states for another exam (for 'distractor'). */
  distractors?: Record<string, number>
}

/** A value for a field the gold leaves empty: plausible for numbers, "positive" for labels. */
function invent(f: Field, r: () => number): FieldValue | undefined {
  switch (f.kind) {
    case 'number': {
      const ref = f.reference?.any ?? f.reference?.male ?? f.reference?.female
      const base = ref
        ? ref.mean + (r() - 0.5) * 2 * ref.sd
        : f.limits[0] + r() * (f.limits[1] - f.limits[0]) * 0.3
      return round(base, base < 10 ? 1 : 0)
    }
    case 'label':
      return 'positive'
    case 'category':
      return pick(r, f.values)
    case 'text':
      return undefined
  }
}

/** Copies of a gold record, each with one planted error (two fields for a swap). */
export function perturb(task: Task, gold: TaskRecord, opts: PerturbOptions): Perturbed[] {
  const r = rng(opts.seed)
  const isSet = (f: Field) => gold[f.key] !== null && gold[f.key] !== undefined
  const stated = task.fields.filter(
    (f) => isSet(f) && f.kind !== 'text' && !(f.kind === 'category' && !f.nullable),
  )
  const missing = task.fields.filter((f) => !isSet(f) && f.kind !== 'text')
  const numbers = task.fields.filter((f): f is NumberField => f.kind === 'number' && isSet(f))
  const labels = task.fields.filter((f) => f.kind === 'label' && isSet(f))
  const categories = task.fields.filter((f) => f.kind === 'category' && isSet(f))
  const out: Perturbed[] = []
  const plant = (key: string, value: FieldValue, kind: ErrorKind) => {
    out.push({ record: { ...gold, [key]: value }, planted: { [key]: kind } })
  }
  const pairs = swapPairs(task).filter(
    ([a, b]) => typeof gold[a] === 'number' && typeof gold[b] === 'number' && gold[a] !== gold[b],
  )
  const slippable = numbers.filter((f) => f.conversions.length > 0)
  for (let c = 0; c < opts.copies; c++) {
    const slip = pick(r, slippable)
    if (slip) {
      const conv = pick(r, slip.conversions) as { factor: number }
      const v = gold[slip.key] as number
      plant(
        slip.key,
        round(v / conv.factor, Math.max(decimals(v) - Math.round(Math.log10(conv.factor)), 0)),
        'unit_slip',
      )
    }
    const t = pick(r, numbers)
    if (t) plant(t.key, typo(gold[t.key] as number, r), 'typo')
    const o = pick(r, stated)
    if (o) plant(o.key, null, 'omission')
    const h = pick(r, missing)
    const invented = h && invent(h, r)
    if (h && invented !== undefined) plant(h.key, invented, 'hallucination')
    const p = pick(r, pairs)
    if (p) {
      const [a, b] = p
      out.push({
        record: { ...gold, [a]: gold[b] as number, [b]: gold[a] as number },
        planted: { [a]: 'swap', [b]: 'swap' },
      })
    }
    const l = pick(r, labels)
    if (l)
      plant(
        l.key,
        pick(
          r,
          labelStatuses.filter((st) => st !== gold[l.key]),
        ) as string,
        'wrong_status',
      )
    const k = pick(r, categories)
    if (k?.kind === 'category')
      plant(
        k.key,
        pick(
          r,
          k.values.filter((v) => v !== gold[k.key]),
        ) as FieldValue,
        'wrong_category',
      )
  }
  for (const [key, value] of Object.entries(opts.distractors ?? {})) {
    if (gold[key] !== value) plant(key, value, 'distractor')
  }
  return out
}
