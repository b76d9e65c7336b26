/**
 * Scores one record of a task: per-field signals, their calibrated combination, flags and a
 * report-level confidence. Pure: runs unchanged in Node and in workerd.
 */
import type { FieldValue, TaskRecord } from '../../schemas/record.ts'
import type { Field, Task } from '../../schemas/task.ts'
import { decodeReport, type Rendering, toOriginal } from '../decode/index.ts'
import type { ScoredResult } from '../result.ts'
import { type ScannedText, scanText } from '../text/scan.ts'
import { inferSex, type Sex } from '../text/sex.ts'
import { type ColumnScores, scoreColumns } from './columns.ts'
import type { Signals } from './combine.ts'
import type { Span } from './grounding.ts'

export interface ScoreInput {
  /** The chosen (greedy) record; keys missing from it read as null. */
  values: TaskRecord
  /** The report text, for grounding and evidence spans; without it grounding is left out. */
  text?: string
  /** Pre-scanned text (scanText) when the same report is scored more than once. */
  scanned?: ScannedText
  /** K sampled records; null for a sample whose output did not parse. Empty: stability left out. */
  samples?: readonly (TaskRecord | null)[]
  /** The patient's sex when known from elsewhere; otherwise inferred from the text. */
  sex?: Sex
  /** An encoder's probability of each value it chose (the `model` signal). */
  probability?: Record<string, number>
  /** An encoder's evidence span per field (the mention it chose), in the rendering's offsets. */
  evidence?: Record<string, Span>
  /** The report as decoded (core/decode): `scanned` reads its text, and every evidence span is
   * mapped back to the original. Without it, a `text` given without `scanned` is decoded here. */
  rendering?: Rendering
}

/** Formats whose numbers are all statements with their labels (not prose, not PDF text). */
const structured = new Set(['hl7', 'html', 'json', 'xml', 'delimited'])

export function scoreRecord(task: Task, input: ScoreInput): ScoredResult {
  const samples = input.samples ?? []
  const rendering =
    input.rendering ??
    (input.text !== undefined && !input.scanned ? decodeReport(input.text) : undefined)
  const scanned =
    input.scanned ?? (rendering !== undefined ? scanText(task, rendering.text) : undefined)
  const sexFromText = input.sex || !scanned ? undefined : inferSex(scanned.text)
  const sex = input.sex ?? sexFromText
  const fields = task.fields
  const n = fields.length

  // Cloning a template with every key is far cheaper than growing 53-key objects key by key.
  const template = recordTemplate(task)
  const values: TaskRecord = { ...template }
  const row: FieldValue[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const k = (fields[i] as Field).key
    const v = input.values[k] ?? null
    values[k] = v
    row[i] = v
  }
  const cols = scoreColumns(task, {
    values: row,
    samples: samples.map((s) => (s === null ? null : fields.map((f) => s[f.key] ?? null))),
    ...(scanned ? { scanned } : {}),
    ...(sex ? { sex } : {}),
    ...(input.probability
      ? { probability: fields.map((f) => input.probability?.[f.key] ?? Number.NaN) }
      : {}),
    ...(input.evidence ? { evidence: fields.map((f) => input.evidence?.[f.key]) } : {}),
    decoded: rendering !== undefined && structured.has(rendering.format),
  })

  const { signals, evidence, confidence, flagged, all, expectedErrors } = byField(task, cols)
  // every reader read the rendering: evidence points at the report's own characters
  if (rendering && rendering.segments.length > 1)
    for (const [k, e] of Object.entries(evidence)) if (e) evidence[k] = toOriginal(rendering, e)
  flagged.sort((a, b) => (confidence[a] as number) - (confidence[b] as number))
  return {
    task: task.id,
    values,
    confidence,
    signals,
    evidence,
    flagged,
    threshold: task.triageThreshold,
    report: {
      confidence: all,
      expectedErrors,
      sex: sex ?? null,
      sexSource: input.sex ? 'given' : sexFromText ? 'report' : 'unknown',
      samples: samples.length,
      format: rendering?.format ?? 'text',
      coverage: cols.reportCoverage ?? null,
    },
  }
}

/** The column scores keyed by field, the fields under the task's threshold, and the report's
 * joint confidence and expected number of errors. */
function byField(task: Task, cols: ColumnScores) {
  const template = recordTemplate(task)
  const signals = { ...template } as unknown as Record<string, Signals>
  const evidence = { ...template } as Record<string, Span | null>
  const confidence = { ...template } as unknown as Record<string, number>
  const flagged: string[] = []
  let all = 1
  let expectedErrors = 0
  for (const [i, f] of task.fields.entries()) {
    const s: Signals = {}
    const m = cols.model[i] as number
    const d = cols.distribution[i] as number
    const st = cols.stability[i] as number
    const co = cols.consistency[i] as number
    const g = cols.grounding[i] as number
    const cv = cols.coverage[i] as number
    if (!Number.isNaN(m)) s.model = m
    if (!Number.isNaN(d)) s.distribution = d
    if (!Number.isNaN(st)) s.stability = st
    if (!Number.isNaN(co)) s.consistency = co
    if (!Number.isNaN(g)) s.grounding = g
    if (!Number.isNaN(cv)) s.coverage = cv
    signals[f.key] = s
    evidence[f.key] = cols.spans[i] ?? null
    const c = cols.confidence[i] as number
    confidence[f.key] = c
    if (c < task.triageThreshold) flagged.push(f.key)
    all *= c
    expectedErrors += 1 - c
  }
  return { signals, evidence, confidence, flagged, all, expectedErrors }
}

const templates = new WeakMap<Task, Record<string, null>>()

/** An object with every field key, in task order, set to null. */
function recordTemplate(task: Task): Record<string, null> {
  let t = templates.get(task)
  if (!t) {
    t = Object.fromEntries(task.fields.map((f) => [f.key, null]))
    templates.set(task, t)
  }
  return t
}
