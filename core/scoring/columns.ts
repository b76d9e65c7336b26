/**
 * The scoring hot path on columns: values by field index in, per-signal scores by field index out.
 * scoreRecord wraps it for JSON-shaped records; bulk callers (benchmarks, the edge's checks over
 * many rows) can call it directly and skip building 53-key objects.
 */
import type { FieldValue } from '../../schemas/record.ts'
import type { Field, Task } from '../../schemas/task.ts'
import { halfUlp } from '../numbers.ts'
import type { ScannedText } from '../text/scan.ts'
import type { Sex } from '../text/sex.ts'
import { combineFeatures, defaultConfidenceModel } from './combine.ts'
import { checkBounds, consistencyByIndex, prepareFormulas } from './consistency.ts'
import { type Coverage, coverageOf, type ReportCoverage } from './coverage.ts'
import { distributionScore } from './distribution.ts'
import { type Grounding, GroundingContext, type Span } from './grounding.ts'
import { groundCategory, groundLabel } from './grounding-words.ts'
import { labelConsistency } from './label-rules.ts'
import { stabilityScore } from './stability.ts'

/** Per-field scores by field index; NaN where a signal does not apply. */
export interface ColumnScores {
  distribution: number[]
  stability: number[]
  consistency: number[]
  grounding: number[]
  /** An encoder's own probability per field (NaN: none). */
  model: number[]
  /** How much of the report the reading covered, for each field (NaN: no text). */
  coverage: number[]
  confidence: number[]
  /** What the reading did not read, with reasons; absent without text. */
  reportCoverage?: ReportCoverage
  /** Evidence span per field, when text was given. */
  spans: (Span | undefined)[]
}

export interface ColumnInput {
  /** Value per field index (task.fields order). */
  values: readonly FieldValue[]
  /** K samples, each a value array or null for an output that did not parse. */
  samples: readonly (readonly FieldValue[] | null)[]
  scanned?: ScannedText
  sex?: Sex
  /** An encoder's probability of each value it chose, by field index (NaN or absent: none). */
  probability?: readonly number[]
  /** The model's own evidence span per field index: the mention it chose. */
  evidence?: readonly (Span | undefined)[]
  /** The report was decoded from a structured format (core/decode): every number in it is a
   * statement with its label, so a number its label does not name is no sure value. */
  decoded?: boolean
}

/** A consistency this low means a formula fails beyond rounding, not a value near its edge. */
const brokenFormula = 0.1

export function scoreColumns(task: Task, input: ColumnInput): ColumnScores {
  const fields = task.fields
  const n = fields.length
  const { values, samples, sex } = input
  const prepared = prepareFormulas(task)

  const lo = new Array<number>(n)
  const hi = new Array<number>(n)
  const distribution = new Array<number>(n).fill(Number.NaN)
  const stability = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const v = values[i]
    const f = fields[i] as Field
    if (typeof v === 'number') {
      const h = halfUlp(v)
      lo[i] = v - h
      hi[i] = v + h
      if (f.kind === 'number') distribution[i] = distributionScore(f, v, sex)
    } else {
      lo[i] = Number.NaN
      hi[i] = Number.NaN
    }
    stability[i] = stabilityScore(v ?? null, samples, i)
  }
  const consistency = consistencyByIndex(prepared, checkBounds(prepared, { lo, hi }))
  if (fields.some((f) => f.kind === 'label')) {
    const rules = labelConsistency(task, values, input.scanned)
    for (let i = 0; i < n; i++)
      if (!Number.isNaN(rules[i] as number)) consistency[i] = rules[i] as number
  }

  const { grounding, spans, contradicted, coverage } = input.scanned
    ? groundAll(task, values, input.scanned)
    : {
        grounding: new Array<number>(n).fill(Number.NaN),
        spans: new Array<Span | undefined>(n),
        contradicted: new Array<boolean>(n).fill(false),
        coverage: undefined,
      }

  // the mention a model chose is the evidence; the lexicon's span stands in where it gave none
  if (input.evidence)
    for (let i = 0; i < n; i++) if (input.evidence[i]) spans[i] = input.evidence[i]
  const probability = new Array<number>(n).fill(Number.NaN)
  if (input.probability)
    for (let i = 0; i < n; i++) probability[i] = input.probability[i] ?? Number.NaN
  const model = task.confidenceModel ?? defaultConfidenceModel
  const covered = coverage?.field ?? new Array<number>(n).fill(Number.NaN)
  const confidence = new Array<number>(n)
  // just under the threshold, scaled so that the order of the values is kept for the reviewer
  const unsure = task.triageThreshold - 0.01
  for (let i = 0; i < n; i++) {
    let c = combineFeatures(
      model,
      distribution[i] as number,
      stability[i] as number,
      consistency[i] as number,
      grounding[i] as number,
      probability[i] as number,
      covered[i] as number,
      (values[i] ?? null) === null,
    )
    // never sure: a label decided against every mention of it or against its student, a number of a decoded report
    // that its statement's label does not name, a number that breaks a formula, and any value of
    // a report the reading did not cover, except a number a label grounds (its name beside it)
    if (contradicted[i]) c *= unsure
    // a status the student gave less than even odds: the mentions decided against it, or it wavered
    else if ((fields[i] as Field).kind === 'label' && (probability[i] as number) < 0.5) c *= unsure
    else if (input.decoded && typeof values[i] === 'number' && (grounding[i] as number) < 0.5)
      c *= unsure
    // a number that breaks a formula with the record's other values: one of them is wrong, and
    // nothing says which (on the held-out sets 17 such sure values were wrong, 24 right)
    else if (typeof values[i] === 'number' && (consistency[i] as number) < brokenFormula)
      c *= unsure
    else if (
      coverage?.report.whole &&
      !labelled(fields[i] as Field, values[i] ?? null, grounding[i] as number, spans[i], coverage)
    )
      c *= unsure
    confidence[i] = c
  }
  return {
    distribution,
    stability,
    consistency,
    grounding,
    model: probability,
    coverage: covered,
    confidence,
    spans,
    ...(coverage ? { reportCoverage: coverage.report } : {}),
  }
}

/** A stated number whose own label names it beside it: grounding of 0.8 or more with the span,
 * which a unit alone (0.6 at most) never reaches, outside undecoded markup. A null has nothing
 * to ground; a category or a label read off the words of a report whose reading failed is not
 * decoded. */
function labelled(
  f: Field,
  value: FieldValue,
  grounding: number,
  span: Span | undefined,
  coverage: Coverage,
): boolean {
  if (f.kind !== 'number' || value === null || !(grounding >= 0.8) || !span) return false
  // inside markup the reading did not decode, the words beside a number are not its label
  return !coverage.undecoded.some((r) => span.start < r.end && span.end > r.start)
}

/** Each field's grounding score and evidence span in the text (NaN and none where it has none). */
function groundAll(task: Task, values: readonly FieldValue[], scanned: ScannedText) {
  const n = task.fields.length
  const grounding = new Array<number>(n).fill(Number.NaN)
  const spans: (Span | undefined)[] = new Array(n)
  const contradicted = new Array<boolean>(n).fill(false)
  const text = scanned.text
  const numbers = new GroundingContext(task, scanned)
  // stated values first, so that the numbers they claim are not read as evidence of an omission
  for (const pass of [false, true]) {
    for (let i = 0; i < n; i++) {
      const f = task.fields[i] as Field
      const v = values[i] ?? null
      if ((v === null) !== pass) continue
      const g: Grounding | undefined =
        f.kind === 'number'
          ? numbers.groundNumber(f, typeof v === 'number' ? v : null)
          : f.kind === 'category'
            ? groundCategory(f, v, scanned, task)
            : f.kind === 'label'
              ? groundLabel(task, f, v, scanned)
              : typeof v === 'string'
                ? groundText(v, text)
                : undefined
      if (g) {
        grounding[i] = g.score
        spans[i] = g.span
        if (g.contradicts) contradicted[i] = true
      }
    }
  }
  const coverage: Coverage = coverageOf(task, scanned, numbers.numbersRead(), values, grounding)
  return { grounding, spans, contradicted, coverage }
}

function groundText(v: string, text: string): { score: number; span?: Span } {
  const i = text.toLowerCase().indexOf(v.toLowerCase())
  return i >= 0 ? { score: 1, span: { start: i, end: i + v.length } } : { score: 0.2 }
}
