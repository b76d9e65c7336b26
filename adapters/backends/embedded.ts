/**
 * The embedded backend: node-llama-cpp runs a GGUF file in-process (CPU here, CUDA in the GPU
 * image), constrained by the task's grammar. Greedy and samples run as parallel sequences of one
 * context, so llama.cpp batches their decoding; each sequence pays its own prefill.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import {
  getLlama,
  type Llama,
  LlamaCompletion,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp'
import type {
  Generation,
  GenerationRequest,
  GenerationResult,
  GenerativeBackend,
  ModelInfo,
} from '../../core/ports/model-backend.ts'
import { recordGrammar } from '../../schemas/grammar.ts'
import type { Task } from '../../schemas/task.ts'

export interface EmbeddedOptions {
  modelPath: string
  /** Context size per sequence. */
  contextSize?: number
  /** Parallel sequences: 1 + K lets a report's samples decode together. */
  sequences?: number
  /** CPU threads; on small machines one thread per context beats two (see DESIGN.md). */
  threads?: number
  gpu?: boolean
  /** Constrain outputs by the task's grammar (default). Off only to study unconstrained output. */
  constrained?: boolean
}

export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return `sha256:${hash.digest('hex')}`
}

export class EmbeddedBackend implements GenerativeBackend {
  readonly kind = 'generative'
  readonly info: ModelInfo
  private readonly llama: Llama
  private readonly model: LlamaModel
  private readonly context: LlamaContext
  private readonly sequences: number
  private readonly constrained: boolean
  private readonly grammars = new Map<Task, Promise<LlamaGrammar>>()
  /** Sequences not in use, and reports waiting for some. */
  private free: number
  private readonly waiting: (() => void)[] = []

  private constructor(
    info: ModelInfo,
    llama: Llama,
    model: LlamaModel,
    context: LlamaContext,
    sequences: number,
    constrained: boolean,
  ) {
    this.info = info
    this.constrained = constrained
    this.llama = llama
    this.model = model
    this.context = context
    this.sequences = sequences
    this.free = sequences
  }

  static async open(opts: EmbeddedOptions): Promise<EmbeddedBackend> {
    const llama = await getLlama({
      gpu: opts.gpu ? 'auto' : false,
      build: 'never',
      logLevel: 'error' as never,
    })
    const model = await llama.loadModel({ modelPath: opts.modelPath })
    const sequences = opts.sequences ?? 4
    const context = await model.createContext({
      contextSize: (opts.contextSize ?? 4096) * sequences,
      sequences,
      threads: opts.threads ?? 1,
    })
    const info = {
      backend: 'embedded',
      name: basename(opts.modelPath),
      digest: await fileDigest(opts.modelPath),
    }
    return new EmbeddedBackend(info, llama, model, context, sequences, opts.constrained ?? true)
  }

  private grammar(task: Task): Promise<LlamaGrammar> {
    let g = this.grammars.get(task)
    if (!g) {
      g = this.llama.createGrammar({ grammar: recordGrammar(task) })
      this.grammars.set(task, g)
    }
    return g
  }

  /**
   * Reports share the context's sequences: each takes 1 + K of them (or all, in waves, when it
   * needs more), so with sequences = 2 (1 + K) two reports decode side by side.
   */
  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const need = Math.min(request.samples + 1, this.sequences)
    while (this.free < need) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.free -= need
    try {
      return await this.run(request, need)
    } finally {
      this.free += need
      for (const wake of this.waiting.splice(0)) wake()
    }
  }

  private async run(r: GenerationRequest, width: number): Promise<GenerationResult> {
    const grammar = !this.constrained
      ? undefined
      : r.grammar
        ? await this.llama.createGrammar({ grammar: r.grammar })
        : await this.grammar(r.task)
    const promptTokens = this.model.tokenize(r.prompt).length
    const start = performance.now()
    const one = async (temperature: number, seed: number) => {
      const sequence = this.context.getSequence()
      try {
        const completion = new LlamaCompletion({ contextSequence: sequence })
        let tokens = 0
        const text = await completion.generateCompletion(r.prompt, {
          ...(grammar ? { grammar } : {}),
          temperature,
          seed,
          maxTokens: r.maxTokens,
          onToken: (t) => {
            tokens += t.length
          },
        })
        return { text, tokens }
      } finally {
        sequence.dispose()
      }
    }
    // greedy first, then the samples, `width` at a time
    const jobs = [
      () => one(0, r.seed),
      ...Array.from({ length: r.samples }, (_, k) => () => one(r.temperature, r.seed + k + 1)),
    ]
    const outputs: Generation[] = []
    for (let i = 0; i < jobs.length; i += width) {
      outputs.push(...(await Promise.all(jobs.slice(i, i + width).map((job) => job()))))
    }
    const [greedy, ...samples] = outputs
    return {
      greedy: greedy as Generation,
      samples,
      promptTokens,
      modelMs: performance.now() - start,
    }
  }

  async close(): Promise<void> {
    await this.context.dispose()
    await this.model.dispose()
  }
}
