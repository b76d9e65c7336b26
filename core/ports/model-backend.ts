/** The model port: one request per report, one greedy output plus K samples, as raw text. */
import type { Task } from '../../schemas/task.ts'

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

export interface ModelBackend {
  readonly info: ModelInfo
  generate(request: GenerationRequest): Promise<GenerationResult>
  close(): Promise<void>
}
