/**
 * The model port, in two kinds. A generative backend (GGUF, an OpenAI-compatible server) writes a
 * record as text: one greedy output plus K samples. An encoder backend reads scanned reports and
 * ranks what each states: one deterministic reading plus K stochastic passes per report, batched.
 */
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import type { Span } from '../scoring/grounding.ts'
import type { ScannedText } from '../text/scan.ts'

export interface GenerationRequest {
  task: Task
  prompt: string
  /** K: samples beside the greedy output (0 allowed). */
  samples: number
  /** Temperature of the samples (the greedy output is at 0). */
  temperature: number
  /** Seed of the first sample; sample k uses seed + k. */
  seed: number
  maxTokens: number
  /** A GBNF grammar for this request instead of the task's record grammar (the teacher's per-field questions). */
  grammar?: string
}

export interface Generation {
  text: string
  /** Tokens generated. */
  tokens: number
  /** Mean log-probability of the generated tokens, when the backend reports it. */
  meanLogprob?: number
}

export interface GenerationResult {
  greedy: Generation
  samples: Generation[]
  promptTokens: number
  /** Wall time inside the model, in milliseconds. */
  modelMs: number
}

export interface ModelInfo {
  backend: string
  name: string
  /** sha256 of the model file (embedded) or the server's model id (server). */
  digest: string
}

export interface GenerativeBackend {
  readonly kind: 'generative'
  readonly info: ModelInfo
  generate(request: GenerationRequest): Promise<GenerationResult>
  close(): Promise<void>
}

export interface ReadRequest {
  task: Task
  /** The reports of one batch (one queue receive), scanned once by the caller. */
  reports: readonly ScannedText[]
  /** K stochastic passes per report beside the deterministic one (0 allowed). */
  passes: number
  /** Seed per report; pass k of report i is drawn from seeds[i] + k. */
  seeds: readonly number[]
}

export interface Reading {
  values: TaskRecord
  /** K records from the stochastic passes (the stability signal). */
  samples: TaskRecord[]
  /** The model's probability of each chosen value. */
  probability: Record<string, number>
  /** A category's or label's probability of every value (String(value) keys, 'null' for none), where the model has them. */
  choices?: Record<string, Record<string, number>>
  /** The chosen mention's span per stated field. */
  evidence: Record<string, Span>
  /** Tokens read (all windows). */
  tokens: number
  /** This report's share of the batch's model time, in milliseconds. */
  modelMs: number
  /** The model that read it, when the backend is a set of models (one per task). */
  model?: ModelInfo
}

export interface EncoderBackend {
  readonly kind: 'encoder'
  readonly info: ModelInfo
  /** Tasks this model serves: a request for another is refused, never guessed. */
  readonly tasks: readonly string[]
  read(request: ReadRequest): Promise<Reading[]>
  close(): Promise<void>
}

export type ModelBackend = GenerativeBackend | EncoderBackend
