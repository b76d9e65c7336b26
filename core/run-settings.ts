/**
 * How reports are read: the backend, its model, and the sampling that gives the stability
 * signal. One zod schema for `radstruct extract`'s flags and the worker's environment; each side
 * only maps its own names onto these keys, so a default or a limit is written once.
 */
import { z } from 'zod'

const int = (d: number, min: number) => z.coerce.number().int().min(min).default(d)

export const samplingSchema = z.object({
  /** K samples beside the greedy output (K stochastic passes for an encoder). */
  samples: int(3, 0),
  temperature: z.coerce.number().min(0).max(2).default(0.3),
  maxTokens: int(1024, 16),
  /** grounded: number fields may only take values the report states (or null); free: any number. */
  decoding: z.enum(['grounded', 'free']).default('grounded'),
})
export type SamplingSettings = z.infer<typeof samplingSchema>
export const defaultSampling: SamplingSettings = samplingSchema.parse({})

const flag = z
  .union([z.boolean(), z.enum(['0', '1', 'true', 'false'])])
  .default(false)
  .transform((v) => v === true || v === '1' || v === 'true')

export const runSettingsSchema = samplingSchema
  .extend({
    /** encoder: the ONNX student (onnxruntime); embedded: a GGUF file run in-process; server: an
     * OpenAI-compatible endpoint (vLLM, llama-server). */
    backend: z.enum(['encoder', 'embedded', 'server']).default('encoder'),
    /** encoder: a model folder or a folder of them; embedded: a GGUF file; server: the model id. */
    model: z.string().min(1).optional(),
    serverUrl: z.string().url().optional(),
    dialect: z.enum(['llama.cpp', 'vllm']).default('vllm'),
    apiKey: z.string().optional(),
    threads: int(1, 1),
    /** encoder: the CUDA execution provider. */
    gpu: flag,
    /** embedded: context sequences (default: one report at a time, 1 + samples). */
    sequences: z.coerce.number().int().min(1).optional(),
    /** encoder: reports per session call at most. */
    batch: int(8, 1),
  })
  .superRefine((s, ctx) => {
    if (s.backend === 'embedded' && !s.model)
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: 'the embedded backend needs a GGUF model (a path or an s3:// URI)',
      })
    if (s.backend === 'server' && !s.serverUrl)
      ctx.addIssue({
        code: 'custom',
        path: ['serverUrl'],
        message: 'the server backend needs the server URL, e.g. http://127.0.0.1:8000',
      })
  })
export type RunSettings = z.infer<typeof runSettingsSchema>
type Key = keyof z.input<typeof runSettingsSchema>

/**
 * Reads run settings from a source that names them its own way (`--max-tokens`, `MAX_TOKENS`):
 * `names` maps each settings key to the source's name. Unset entries take the defaults; the
 * error lists every bad one by the source's name and what was expected.
 */
export function readRunSettings(
  source: Record<string, unknown>,
  names: Partial<Record<Key, string>>,
): { ok: true; settings: RunSettings } | { ok: false; problems: string[] } {
  const input: Record<string, unknown> = {}
  for (const [key, name] of Object.entries(names))
    if (source[name] !== undefined) input[key] = source[name]
  const r = runSettingsSchema.safeParse(input)
  if (r.success) return { ok: true, settings: r.data }
  return {
    ok: false,
    problems: r.error.issues.map((i) => {
      const key = String(i.path[0] ?? '') as Key
      const given = input[key]
      return `${names[key] ?? key}: ${i.message}${given === undefined ? '' : ` (got '${String(given)}')`}`
    }),
  }
}

/** The sampling part of run settings. */
export const samplingOf = (s: RunSettings): SamplingSettings => ({
  samples: s.samples,
  temperature: s.temperature,
  maxTokens: s.maxTokens,
  decoding: s.decoding,
})
