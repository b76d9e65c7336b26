/**
 * Grounding: is the value (or the number it was converted from) stated in the report, for this
 * field, in this exam? Every number in the text is attributed to the fields its unit and nearby
 * words fit; a value is grounded by a number that converts to it, that this field claims at least
 * as well as any other, and that is not in a reference range or a clause about another exam.
 * A null is checked the other way round: a number this field clearly claims suggests an omission.
 */
import type { NumberField, Task } from '../../schemas/task.ts'
import { halfUlp, sameValue } from '../numbers.ts'
import type { NumberMention, ScannedText } from '../text/scan.ts'
import { buildContexts, labelFloor, labelScore, type NumberContext } from './number-context.ts'

/** Character span of the evidence in the report (UTF-16 code units, start inclusive, end exclusive). */
export interface Span {
  start: number
  end: number
}

export interface Grounding {
  score: number
  span?: Span
  /** The text states the opposite of the value (every mention of a label another status). */
  contradicts?: boolean
}

/** Label score of a number whose unit and size fit this field alone. */
const uniqueCandidateFloor = 0.6

/** What a report's numbers could be: built once per scanned text, whatever record is scored against it. */
interface NumberIndex {
  contexts: NumberContext[]
  /** Field key -> label score of each number (0 where the number cannot be this field). */
  labels: Map<string, Float64Array>
  /** Field key -> indices of the numbers whose unit and size fit the field. */
  candidatesOf: Map<string, Int32Array>
  bestLabel: Float64Array
  /** Index (task.fields) of the field whose label fits each number best; -1: none. */
  bestField: Int16Array
  /** How many fields each number could be, by unit, limits and pair position. */
  fieldCount: Uint8Array
}

const indexCache = new WeakMap<ScannedText, NumberIndex>()

function numberIndex(task: Task, scan: ScannedText): NumberIndex {
  const cached = indexCache.get(scan)
  if (cached) return cached
  const contexts = buildContexts(task, scan)
  const bestLabel = new Float64Array(contexts.length)
  const bestField = new Int16Array(contexts.length).fill(-1)
  const fieldCount = new Uint8Array(contexts.length)
  const labels = new Map<string, Float64Array>()
  const candidatesOf = new Map<string, Int32Array>()
  // typed arrays and plain loops: a report of bare numbers has tens of thousands per field
  const scratch = new Int32Array(contexts.length)
  for (const [fi, f] of task.fields.entries()) {
    if (f.kind !== 'number') continue
    const arr = new Float64Array(contexts.length)
    let count = 0
    for (let i = 0; i < contexts.length; i++) {
      const c = contexts[i] as NumberContext
      if (candidateFactor(f, c.n) === undefined) continue
      scratch[count++] = i
      if (
        f.pairIndex === undefined ||
        c.n.pairIndex === undefined ||
        f.pairIndex === c.n.pairIndex
      ) {
        fieldCount[i] = (fieldCount[i] as number) + 1
      }
      const label = labelScore(task, f, c)
      arr[i] = label
      if (label > (bestLabel[i] as number)) {
        bestLabel[i] = label
        bestField[i] = fi
      }
    }
    labels.set(f.key, arr)
    candidatesOf.set(f.key, scratch.slice(0, count))
  }
  const index = { contexts, labels, candidatesOf, bestLabel, bestField, fieldCount }
  indexCache.set(scan, index)
  return index
}

/** Each number of a report with the field its words name best and whether a value used it. */
export interface NumbersRead {
  numbers: readonly NumberMention[]
  /** Field key -> label score of each number (0 where its unit or size rules the field out). */
  labels: ReadonlyMap<string, Float64Array>
  bestLabel: Float64Array
  bestField: Int16Array
  fieldCount: Uint8Array
  /** Indices of the numbers a stated value matched (its evidence, however weakly labelled). */
  used: ReadonlySet<number>
}

/** The number's own words name a quantity the task does not read (its vocabulary's "other"). */
const namesOther = (c: NumberContext) =>
  c.local.some((t) => t.set.quantity === 'other' && t.weight >= 0.9)

/** Grounding of one record against one report: the report's number index plus what this record claimed. */
export class GroundingContext {
  private readonly index: NumberIndex
  /** Numbers already used as evidence of a stated value: not evidence of an omission. */
  private readonly claimed = new Set<number>()
  /** Numbers that state a value of the record, however weakly labelled: read, not missed. */
  private readonly used = new Set<number>()

  constructor(task: Task, scan: ScannedText) {
    this.index = numberIndex(task, scan)
  }

  /** What the report's numbers could be and which ones the record used, for the coverage
   * signals (core/scoring/coverage.ts): read after every field was grounded. */
  numbersRead(): NumbersRead {
    const { contexts, labels, bestLabel, bestField, fieldCount } = this.index
    return {
      numbers: contexts.map((c) => c.n),
      labels,
      bestLabel,
      bestField,
      fieldCount,
      used: this.used,
    }
  }

  /** Grounding of a number field's value (or of its absence, for null). */
  groundNumber(f: NumberField, value: number | null): Grounding {
    const { contexts, bestLabel, fieldCount } = this.index
    const labels = this.index.labels.get(f.key) as Float64Array
    const candidates = this.index.candidatesOf.get(f.key) as Int32Array
    if (value === null) return this.groundAbsence(labels, candidates)
    let best: Grounding = { score: 0 }
    let bestIndex = -1
    for (const i of candidates) {
      const n = (contexts[i] as NumberContext).n
      const cert = matchCertainty(f, n, value)
      if (cert === 0) continue
      // every number that states this value was read, the restatement in the impression too
      this.used.add(i)
      // a number only this field can be (70 kg) is half-way grounded by its unit alone, unless its
      // own label names what the task does not read ("LGE mass: 17 g")
      const floor =
        fieldCount[i] === 1 && !namesOther(contexts[i] as NumberContext)
          ? uniqueCandidateFloor
          : labelFloor
      const eff = Math.max(labels[i] as number, floor)
      const exclusivity = eff / Math.max(eff, bestLabel[i] as number)
      const score = cert * eff * exclusivity * (1 - n.distractor)
      if (score > best.score) {
        best = { score, span: { start: n.start, end: n.spanEnd } }
        bestIndex = i
      }
    }
    if (bestIndex >= 0 && best.score >= 0.5) this.claimed.add(bestIndex)
    return best
  }

  private groundAbsence(labels: Float64Array, candidates: Int32Array): Grounding {
    let suspicion = 0
    let span: Span | undefined
    for (const i of candidates) {
      const label = labels[i] as number
      if (label < 0.5 || this.claimed.has(i) || label < (this.index.bestLabel[i] as number))
        continue
      const n = (this.index.contexts[i] as NumberContext).n
      const s = label * (1 - n.distractor) * (n.unit === undefined ? 0.8 : 1)
      if (s > suspicion) {
        suspicion = s
        span = { start: n.start, end: n.spanEnd }
      }
    }
    return span ? { score: 1 - suspicion, span } : { score: 1 }
  }
}

const factorsOf = new WeakMap<NumberField, Map<string, number>>()

/** The factor from the number's unit to the field's, if the number could be this field at all. */
/** The value a number states for a field, in the field's unit (undefined: it cannot be one). */
export function statedValue(f: NumberField, n: NumberMention): number | undefined {
  const factor = candidateFactor(f, n)
  if (factor === undefined) return undefined
  // a converted value keeps the written precision plus the conversion's digits, no float noise
  return Number((n.value * factor).toPrecision(factor === 1 ? 15 : 4))
}

function candidateFactor(f: NumberField, n: NumberMention): number | undefined {
  let factors = factorsOf.get(f)
  if (!factors) {
    // first conversion per unit wins, as a find over the list would
    factors = new Map()
    for (const c of [...f.conversions].reverse()) factors.set(c.unit, c.factor)
    factorsOf.set(f, factors)
  }
  const factor = n.unit === f.unit || n.unit === undefined ? 1 : factors.get(n.unit)
  if (factor === undefined) return undefined
  const v = n.value * factor
  return v < f.limits[0] || v > f.limits[1] ? undefined : factor
}

/** 0 if the number cannot be this value; else 1 (unit written) or 0.7 (unit assumed). */
function matchCertainty(f: NumberField, n: NumberMention, value: number): number {
  if (n.unit === f.unit) return sameValue(n.value, value) ? 1 : 0
  const conversions =
    n.unit === undefined
      ? [{ factor: 1 }, ...f.conversions]
      : f.conversions.filter((c) => c.unit === n.unit)
  for (const c of conversions) {
    const converted = n.value * c.factor
    const ok =
      c.factor === 1
        ? sameValue(n.value, value)
        : Math.abs(converted - value) <= Math.max(0.005 * Math.abs(value), halfUlp(value))
    if (ok) return n.unit === undefined ? 0.7 : 1
  }
  return 0
}
