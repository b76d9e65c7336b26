/**
 * The encoder backend (the default): the ONNX student through onnxruntime-node, CPU with one
 * thread per session by default, or the CUDA execution provider in the GPU image. The reports of
 * one call are read as one batch: the encoder graph runs once over all their windows, the heads
 * graph once deterministically and K more times with seeded dropout masks on the token states
 * (the stability passes, MC dropout), so the stochastic passes cost only the heads.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { z } from 'zod'
import { candidateFeatureCount } from '../../core/encoder/candidates.ts'
import { decodeReading, decodeWords } from '../../core/encoder/decode.ts'
import { type EncoderInputs, encoderInputs } from '../../core/encoder/inputs.ts'
import { labelFeatureCount, tokenFeatureCount } from '../../core/encoder/labels.ts'
import { idsPerToken } from '../../core/encoder/tokens.ts'
import type {
  EncoderBackend,
  ModelInfo,
  Reading,
  ReadRequest,
} from '../../core/ports/model-backend.ts'
import { rng } from '../../core/random.ts'
import type { ScannedText } from '../../core/text/scan.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'

/** The files of an encoder model folder (models/encoder/export.py writes them). */
export const encoderFiles = ['encoder.json', 'encoder.onnx', 'heads.onnx'] as const

/** encoder.json, written by models/encoder/export.py beside encoder.onnx and heads.onnx. */
export const encoderMetaSchema = z.object({
  format: z.literal('radstruct-encoder/1'),
  task: z.string(),
  config: z
    .object({
      dim: z.number().int(),
      dropout: z.number(),
      fields: z.number().int(),
      /** 'numbers' (candidate ranking, cmr52) or 'words' (label statuses and/or a category). */
      kind: z.enum(['numbers', 'words']).default('numbers'),
    })
    .passthrough(),
  digest: z.string(),
  /** How the model's training set cut long reports (core/encoder/tokens.ts); read the same way. */
  windows: z.enum(['balanced', 'fixed']).default('fixed'),
  /** 'passes': heads.onnx takes every dropout pass in one call ([P, windows, length, dim]). */
  heads: z.enum(['passes', 'single']).default('single'),
  step: z.number().int().optional(),
  trainedOn: z.string().optional(),
  fields: z.array(z.string()),
  labels: z.array(z.string()).default([]),
  category: z
    .array(z.union([z.string(), z.number()]))
    .nullable()
    .optional(),
})
export type EncoderMeta = z.infer<typeof encoderMetaSchema>

/** A model folder's encoder.json, validated: which task it serves, its configuration. */
export function readEncoderMeta(modelDir: string): EncoderMeta {
  const metaPath = join(modelDir, 'encoder.json')
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(metaPath, 'utf8'))
  } catch (e) {
    throw new Error(
      `encoder model: cannot read ${metaPath} (${(e as Error).message}); expected a folder with encoder.json, encoder.onnx and heads.onnx`,
    )
  }
  const parsed = encoderMetaSchema.safeParse(raw)
  if (!parsed.success)
    throw new Error(
      `encoder model: ${metaPath} is not a radstruct encoder description: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}

export interface EncoderOptions {
  /** A folder with encoder.json, encoder.onnx and heads.onnx. */
  modelDir: string
  threads?: number
  gpu?: boolean
}

const int64 = (data: BigInt64Array, dims: number[]) => new ort.Tensor('int64', data, dims)
const float = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims)

interface Packed {
  windows: number
  length: number
  /** First window of each report. */
  offsets: number[]
}

export class OnnxEncoderBackend implements EncoderBackend {
  readonly kind = 'encoder'
  readonly info: ModelInfo
  readonly tasks: readonly string[]

  private readonly meta: EncoderMeta
  private readonly encoder: ort.InferenceSession
  private readonly heads: ort.InferenceSession

  private constructor(
    meta: EncoderMeta,
    encoder: ort.InferenceSession,
    heads: ort.InferenceSession,
    name: string,
  ) {
    this.meta = meta
    this.encoder = encoder
    this.heads = heads
    this.info = { backend: 'encoder', name, digest: `sha256:${meta.digest}` }
    this.tasks = [meta.task]
  }

  static async open(opts: EncoderOptions): Promise<OnnxEncoderBackend> {
    const meta = readEncoderMeta(opts.modelDir)
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      executionProviders: opts.gpu ? ['cuda', 'cpu'] : ['cpu'],
      graphOptimizationLevel: 'all',
      // the arena keeps its largest size, but the batcher bounds a call's shapes (about 3,000
      // characters, a long report alone), and reusing memory is 10-50 % faster than malloc per
      // call (bench/encoder.bench.ts: cxr14 300 words 62-67 -> 68-70 reports/s; batch 8 of
      // 2,400-word reports peaks at 1.7 GiB instead of 1.3)
      enableCpuMemArena: true,
      // shapes change with every batch: a memory pattern planned for one would not fit the next
      enableMemPattern: false,
    }
    const [encoder, heads] = await Promise.all([
      ort.InferenceSession.create(join(opts.modelDir, 'encoder.onnx'), options),
      ort.InferenceSession.create(join(opts.modelDir, 'heads.onnx'), options),
    ])
    return new OnnxEncoderBackend(meta, encoder, heads, `encoder-${meta.task}`)
  }

  async read(req: ReadRequest): Promise<Reading[]> {
    if (!this.tasks.includes(req.task.id))
      throw new Error(
        `the encoder ${this.info.name} serves ${this.tasks.join(', ')}, not ${req.task.id}`,
      )
    const keys = (kind: string) => req.task.fields.filter((f) => f.kind === kind).map((f) => f.key)
    if (
      keys('number').join() !== this.meta.fields.join() ||
      keys('label').join() !== this.meta.labels.join()
    )
      throw new Error(
        `the encoder ${this.info.name} was trained on another version of ${req.task.id}'s fields`,
      )
    const start = performance.now()
    const inputs = req.reports.map((scan) => this.inputs(req.task, scan))
    const out = await this.forward(inputs, req.passes, req.seeds)
    const ms = performance.now() - start
    const totalTokens = inputs.reduce((s, i) => s + i.tokens.length, 0) || 1
    const words = this.meta.config.kind === 'words'
    return inputs.map((inp, r) => {
      const scan = req.reports[r] as (typeof req.reports)[number]
      const asWide = { ...inp, width: out.width }
      const decode = (o: Outputs, evidence: boolean) => {
        const s = out.slice(o, r)
        return words
          ? decodeWords(
              req.task,
              inp,
              s.label,
              s.category,
              evidence && s.scores ? { data: s.scores, width: out.length } : undefined,
            )
          : decodeReading(req.task, scan, asWide, s.field as Float32Array, s.category)
      }
      const main = decode(out.greedy, true)
      const samples: TaskRecord[] = out.passes.map((p) => decode(p, false).values)
      return {
        values: main.values,
        samples,
        probability: main.probability,
        ...(main.choices ? { choices: main.choices } : {}),
        evidence: main.evidence,
        tokens: inp.tokens.length,
        modelMs: (ms * inp.tokens.length) / totalTokens,
      }
    })
  }

  /** One report's inputs, cut into windows the way this model's training set was. */
  inputs(task: Task, scan: ScannedText): EncoderInputs {
    return encoderInputs(task, scan, { windows: this.meta.windows })
  }

  /**
   * The raw logits of a batch of reports: the deterministic pass and K seeded stochastic passes.
   * `width` is the batch's candidate width (fieldLogits per report is [F, 1 + width]).
   */
  async forward(inputs: EncoderInputs[], passes: number, seeds: readonly number[]) {
    const packed = pack(inputs)
    const { windows, length } = packed
    const t = tokenTensors(inputs, packed)
    const { states } = await this.encoder.run(t)
    const { ids: idsT, mask: maskT } = t
    const words = this.meta.config.kind === 'words'
    const heads = words
      ? wordHeadInputs(inputs, packed, this.meta.labels.length)
      : headInputs(inputs, packed)
    const dim = this.meta.config.dim
    const size = windows * length * dim
    const data = (t: ort.OnnxValue | undefined) =>
      (t as ort.Tensor | undefined)?.data as Float32Array | undefined
    // heads that take every pass at once (word models exported since 2026-12) run once over a
    // stack of masks: the deterministic pass (all ones), then the K stability passes
    const stacked = this.meta.heads === 'passes'
    const runHeads = async (drop: Float32Array, count: number): Promise<Outputs[]> => {
      const shape = stacked ? [count, windows, length, dim] : [windows, length, dim]
      const out = await this.heads.run({
        states: states as ort.Tensor,
        ids: idsT,
        mask: maskT,
        drop: float(drop, shape),
        ...heads,
      })
      const all: Outputs = {
        field: data(out.fieldLogits),
        label: data(out.labelLogits),
        scores: data(out.labelScores),
        category: data(out.categoryLogits),
      }
      return count === 1 ? [all] : splitPasses(all, count)
    }
    // each report's masks come from its own seed, so a reading never depends on its batch-mates
    const fillPass = (drop: Float32Array, k: number) => {
      for (const [r, inp] of inputs.entries()) {
        const seed = ((seeds[r] ?? 0) + k) >>> 0
        const at = packed.offsets[r] as number
        fillDropout(drop, rng(seed), this.meta.config.dropout, at, inp, length, dim)
      }
    }
    let greedy: Outputs
    const stochastic: Outputs[] = []
    if (stacked) {
      const drop = new Float32Array((1 + passes) * size)
      drop.fill(1, 0, size)
      for (let k = 0; k < passes; k++) fillPass(drop.subarray((1 + k) * size, (2 + k) * size), k)
      const [first, ...rest] = await runHeads(drop, 1 + passes)
      greedy = first as Outputs
      stochastic.push(...rest)
    } else {
      greedy = (await runHeads(new Float32Array(size).fill(1), 1))[0] as Outputs
      for (let k = 0; k < passes; k++) {
        const drop = new Float32Array(size)
        fillPass(drop, k)
        stochastic.push(...(await runHeads(drop, 1)))
      }
    }
    const width = 'candidateMask' in heads ? (heads.candidateMask.dims[2] as number) : 1
    const sizes = {
      fields: this.meta.fields.length,
      labels: this.meta.labels.length,
      categories: this.meta.category?.length ?? 0,
      width,
    }
    const slice = (o: Outputs, r: number) => reportSlice(o, r, inputs, packed, sizes)
    return { greedy, passes: stochastic, width, length, slice }
  }

  async close(): Promise<void> {
    await Promise.all([this.encoder.release(), this.heads.release()])
  }
}

/** The encoder's inputs for a batch of reports: every report's windows, one after another. */
function tokenTensors(inputs: EncoderInputs[], packed: Packed) {
  const { windows, length } = packed
  const ids = new BigInt64Array(windows * length * idsPerToken)
  const column = new BigInt64Array(windows * length)
  const gap = new BigInt64Array(windows * length)
  const mask = new Float32Array(windows * length)
  for (const [r, inp] of inputs.entries()) {
    const w0 = packed.offsets[r] as number
    for (let b = 0; b < inp.batch; b++) {
      for (let t = 0; t < inp.length; t++) {
        const src = b * inp.length + t
        const dst = (w0 + b) * length + t
        for (let k = 0; k < idsPerToken; k++)
          ids[dst * idsPerToken + k] = inp.ids[src * idsPerToken + k] as bigint
        column[dst] = inp.column[src] as bigint
        gap[dst] = inp.gap[src] as bigint
        mask[dst] = inp.mask[src] as number
      }
    }
  }
  return {
    ids: int64(ids, [windows, length, idsPerToken]),
    column: int64(column, [windows, length]),
    gap: int64(gap, [windows, length]),
    mask: float(mask, [windows, length]),
  }
}

/** Report r's part of a batch's outputs. */
function reportSlice(
  o: Outputs,
  r: number,
  inputs: readonly EncoderInputs[],
  packed: Packed,
  n: { fields: number; labels: number; categories: number; width: number },
) {
  const w0 = packed.offsets[r] as number
  const nb = (inputs[r] as EncoderInputs).batch
  const F = n.fields * (1 + n.width)
  const span = packed.length * n.labels
  return {
    field: o.field?.subarray(r * F, (r + 1) * F),
    label: o.label?.subarray(r * n.labels * 4, (r + 1) * n.labels * 4),
    scores: o.scores?.subarray(w0 * span, (w0 + nb) * span),
    category: n.categories
      ? o.category?.subarray(r * n.categories, (r + 1) * n.categories)
      : undefined,
  }
}

/** The heads' outputs of one pass (those the model has). */
interface Outputs {
  field?: Float32Array | undefined
  label?: Float32Array | undefined
  scores?: Float32Array | undefined
  category?: Float32Array | undefined
}

/** Outputs whose first dimension is the pass, as one Outputs per pass (views, no copies). */
function splitPasses(all: Outputs, count: number): Outputs[] {
  const part = (a: Float32Array | undefined, k: number) => {
    if (!a) return undefined
    const n = a.length / count
    return a.subarray(k * n, (k + 1) * n)
  }
  return Array.from({ length: count }, (_, k) => ({
    field: part(all.field, k),
    label: part(all.label, k),
    scores: part(all.scores, k),
    category: part(all.category, k),
  }))
}

/** A word task's head inputs: token and label features in the packed windows. */
function wordHeadInputs(inputs: EncoderInputs[], packed: Packed, labels: number) {
  const S = tokenFeatureCount
  const LF = Math.max(1, labels) * labelFeatureCount
  const { windows, length } = packed
  const R = inputs.length
  const tf = new Float32Array(windows * length * S)
  const lf = new Float32Array(windows * length * LF)
  const wr = new Float32Array(R * windows)
  for (const [r, inp] of inputs.entries()) {
    const w0 = packed.offsets[r] as number
    const ownLF = inp.labels.length * labelFeatureCount
    for (let b = 0; b < inp.batch; b++) {
      wr[r * windows + w0 + b] = 1
      for (let t = 0; t < inp.length; t++) {
        const src = b * inp.length + t
        const dst = (w0 + b) * length + t
        tf.set(inp.tokenFeatures.subarray(src * S, (src + 1) * S), dst * S)
        if (ownLF) lf.set(inp.labelFeatures.subarray(src * ownLF, (src + 1) * ownLF), dst * LF)
      }
    }
  }
  return {
    windowReport: float(wr, [R, windows]),
    tokenFeatures: float(tf, [windows, length, S]),
    labelFeatures: float(lf, [windows, length, Math.max(1, labels), labelFeatureCount]),
  }
}

function pack(inputs: EncoderInputs[]): Packed {
  const offsets: number[] = []
  let windows = 0
  let length = 1
  for (const i of inputs) {
    offsets.push(windows)
    windows += i.batch
    length = Math.max(length, i.length)
  }
  return { windows, length, offsets }
}

/** The heads' inputs for all reports, candidates re-indexed into the packed windows. */
function headInputs(inputs: EncoderInputs[], packed: Packed) {
  const R = inputs.length
  const F = inputs[0]?.fields.length ?? 0
  const C = Math.max(1, ...inputs.map((i) => i.width))
  const tok = new BigInt64Array(R * F * C)
  const feat = new Float32Array(R * F * C * candidateFeatureCount)
  const cmask = new Float32Array(R * F * C)
  const wr = new Float32Array(R * packed.windows)
  for (const [r, inp] of inputs.entries()) {
    const w0 = packed.offsets[r] as number
    for (let b = 0; b < inp.batch; b++) wr[r * packed.windows + w0 + b] = 1
    for (let f = 0; f < F; f++) {
      for (let c = 0; c < inp.width; c++) {
        const src = f * inp.width + c
        if (!inp.candidateMask[src]) continue
        const flat = Number(inp.candidateToken[src])
        const w = Math.floor(flat / inp.length)
        const t = flat % inp.length
        const dst = (r * F + f) * C + c
        tok[dst] = BigInt((w0 + w) * packed.length + t)
        cmask[dst] = 1
        feat.set(
          inp.candidateFeatures.subarray(
            src * candidateFeatureCount,
            (src + 1) * candidateFeatureCount,
          ),
          dst * candidateFeatureCount,
        )
      }
    }
  }
  return {
    windowReport: float(wr, [R, packed.windows]),
    candidateToken: int64(tok, [R, F, C]),
    candidateFeatures: float(feat, [R, F, C, candidateFeatureCount]),
    candidateMask: float(cmask, [R, F, C]),
  }
}

/** An inverted dropout mask (0 or 1/keep) over one report's tokens; drawn in the report's own
 * order, so its passes are the same whatever batch it is read in. Padding stays 0 (masked anyway). */
function fillDropout(
  out: Float32Array,
  r: () => number,
  p: number,
  firstWindow: number,
  report: EncoderInputs,
  length: number,
  dim: number,
) {
  const keep = 1 - p
  const scale = 1 / keep
  for (let w = 0; w < report.batch; w++) {
    for (let t = 0; t < report.length; t++) {
      const from = ((firstWindow + w) * length + t) * dim
      for (let i = from; i < from + dim; i++) out[i] = r() < keep ? scale : 0
    }
  }
}
