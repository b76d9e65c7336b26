/**
 * One report as the encoder's input tensors (flat arrays with their shapes): token ids and layout
 * per window, and for each number field its candidates (which token, which features). The same
 * function feeds training (`distill export --format encoder`) and inference, so the two cannot drift.
 */
import type { LabelField, NumberField, Task } from '../../schemas/task.ts'
import type { ScannedText } from '../text/scan.ts'
import { type Candidate, candidateFeatureCount, fieldCandidates } from './candidates.ts'
import { labelFeatureCount, labelFieldsOf, tokenFeatureCount, wordFeatures } from './labels.ts'
import {
  idsPerToken,
  ownerOf,
  type Token,
  tokenize,
  type Window,
  type WindowPolicy,
  windows,
} from './tokens.ts'

/** Tokens per window and the overlap between windows: long reports are read in pieces, and each
 * number is scored in the window where it has the most context on both sides. */
export const windowSize = 256
export const windowOverlap = 64

export interface EncoderInputs {
  /** Windows x tokens per window. */
  batch: number
  length: number
  /** [batch, length, idsPerToken] */
  ids: BigInt64Array
  /** [batch, length] */
  column: BigInt64Array
  gap: BigInt64Array
  /** 1 for a token, 0 for padding. */
  mask: Float32Array
  /** Number fields, in task order. */
  fields: NumberField[]
  /** Candidates per field (the widest field sets the padded width). */
  width: number
  /** [fields, width]: flat token index (window * length + position) of each candidate. */
  candidateToken: BigInt64Array
  /** [fields, width, candidateFeatureCount] */
  candidateFeatures: Float32Array
  /** [fields, width]: 1 for a candidate, 0 for padding. */
  candidateMask: Float32Array
  candidates: Candidate[][]
  tokens: Token[]
  /** Label fields, in task order (the word heads' outputs). */
  labels: LabelField[]
  /** [batch, length, tokenFeatureCount]: section and cue scope per token (word tasks only). */
  tokenFeatures: Float32Array
  /** [batch, length, labels, labelFeatureCount]: alias matches per token and label. */
  labelFeatures: Float32Array
  /** Clause of each token (evidence spans of labels). */
  clause: Int32Array
  /** First token of each window. */
  windowFrom: number[]
}

export function encoderInputs(
  task: Task,
  scan: ScannedText,
  opts: { windowSize?: number; windowOverlap?: number; windows?: WindowPolicy } = {},
): EncoderInputs {
  const tokens = tokenize(scan)
  const size = opts.windowSize ?? windowSize
  const ws: Window[] = windows(
    Math.max(1, tokens.length),
    size,
    opts.windowOverlap ?? windowOverlap,
    opts.windows,
  )
  const length = (ws[0] as Window).to - (ws[0] as Window).from
  const batch = ws.length
  const ids = new BigInt64Array(batch * length * idsPerToken)
  const column = new BigInt64Array(batch * length)
  const gap = new BigInt64Array(batch * length)
  const mask = new Float32Array(batch * length)
  forEachSlot(ws, length, (t, at) => {
    const tok = tokens[t] as Token
    for (let k = 0; k < idsPerToken; k++) ids[at * idsPerToken + k] = BigInt(tok.ids[k] as number)
    column[at] = BigInt(tok.column)
    gap[at] = BigInt(tok.gap)
    mask[at] = 1
  })
  // word tasks (labels, a category without numbers) read section and cue features
  const labels = labelFieldsOf(task)
  const wordTask = !task.fields.some((f) => f.kind === 'number')
  const words = wordTask ? wordFeatures(task, scan, tokens) : undefined
  const S = tokenFeatureCount
  const LF = labels.length * labelFeatureCount
  const tokenFeatures = new Float32Array(words ? batch * length * S : 0)
  const labelFeatures = new Float32Array(words ? batch * length * LF : 0)
  if (words)
    forEachSlot(ws, length, (t, at) => {
      tokenFeatures.set(words.token.subarray(t * S, (t + 1) * S), at * S)
      labelFeatures.set(words.label.subarray(t * LF, (t + 1) * LF), at * LF)
    })
  const tokenOfMention = new Map<number, number>()
  for (const [t, tok] of tokens.entries())
    if (tok.mention !== undefined) tokenOfMention.set(tok.mention, t)
  const flatToken = (mention: number) => {
    const t = tokenOfMention.get(mention) as number
    const b = ownerOf(ws, t)
    return b * length + (t - (ws[b] as Window).from)
  }
  return {
    batch,
    length,
    ids,
    column,
    gap,
    mask,
    ...candidateInputs(task, scan, flatToken),
    tokens,
    labels,
    tokenFeatures,
    labelFeatures,
    clause: words?.clause ?? new Int32Array(0),
    windowFrom: ws.map((w) => w.from),
  }
}

/** Every window's tokens, flat: token t of window b sits at b * length + (t - from). A plain
 * loop, not a list of slots: this runs for every report on the hot path. */
function forEachSlot(
  ws: readonly Window[],
  length: number,
  fn: (t: number, at: number) => void,
): void {
  for (const [b, w] of ws.entries())
    for (let t = w.from; t < w.to; t++) fn(t, b * length + (t - w.from))
}

/** Each number field's candidates: their token (flat over the windows), features and mask. */
function candidateInputs(task: Task, scan: ScannedText, flatToken: (mention: number) => number) {
  const fields = task.fields.filter((f): f is NumberField => f.kind === 'number')
  const byField = fieldCandidates(task, scan)
  const candidates = fields.map((f) => byField.get(f.key) ?? [])
  const width = Math.max(1, ...candidates.map((c) => c.length))
  const candidateToken = new BigInt64Array(fields.length * width)
  const candidateFeatures = new Float32Array(fields.length * width * candidateFeatureCount)
  const candidateMask = new Float32Array(fields.length * width)
  for (const [fi, list] of candidates.entries()) {
    for (const [ci, c] of list.entries()) {
      const at = fi * width + ci
      candidateToken[at] = BigInt(flatToken(c.mention))
      candidateMask[at] = 1
      candidateFeatures.set(c.features, at * candidateFeatureCount)
    }
  }
  return { fields, width, candidateToken, candidateFeatures, candidateMask, candidates }
}

/** The tensors of one report's inputs that the model reads, as JSON: the inputs stored beside a
 * model at export (parity-inputs.json), so that a runtime is checked against the exporter on the
 * very inputs the exporter saw, whatever the readers that make inputs have learnt since. */
export interface FrozenInputs {
  batch: number
  length: number
  width: number
  ids: string[]
  column: string[]
  gap: string[]
  mask: number[]
  candidateToken: string[]
  candidateFeatures: number[]
  candidateMask: number[]
}

export function freezeInputs(i: EncoderInputs): FrozenInputs {
  const big = (a: BigInt64Array) => Array.from(a, String)
  return {
    batch: i.batch,
    length: i.length,
    width: i.width,
    ids: big(i.ids),
    column: big(i.column),
    gap: big(i.gap),
    mask: Array.from(i.mask),
    candidateToken: big(i.candidateToken),
    candidateFeatures: Array.from(i.candidateFeatures),
    candidateMask: Array.from(i.candidateMask),
  }
}

/** Frozen inputs over inputs of the same task (fields, labels, tokens: what the tensors do not hold). */
export function thawInputs(f: FrozenInputs, like: EncoderInputs): EncoderInputs {
  const big = (a: string[]) => BigInt64Array.from(a, BigInt)
  return {
    ...like,
    batch: f.batch,
    length: f.length,
    width: f.width,
    ids: big(f.ids),
    column: big(f.column),
    gap: big(f.gap),
    mask: Float32Array.from(f.mask),
    candidateToken: big(f.candidateToken),
    candidateFeatures: Float32Array.from(f.candidateFeatures),
    candidateMask: Float32Array.from(f.candidateMask),
  }
}
