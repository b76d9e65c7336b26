/**
 * The server backend: any OpenAI-compatible completions endpoint (vLLM on a GPU fleet, llama.cpp's
 * llama-server, Ollama). The K samples go in one request with `n`, so the server processes the
 * prompt once; the greedy output is a second request at temperature 0. Outputs are constrained by
 * the task's grammar, in the dialect the server speaks.
 */
import type {
  Generation,
  GenerationRequest,
  GenerationResult,
  GenerativeBackend,
  ModelInfo,
} from '../../core/ports/model-backend.ts'
import { recordGrammar } from '../../schemas/grammar.ts'

/** How the server takes a grammar: llama-server's `grammar`, or vLLM's `structured_outputs`. */
export type GrammarDialect = 'llama.cpp' | 'vllm'

export interface ServerOptions {
  baseUrl: string
  /** Model id; the server's first model when omitted. */
  model?: string
  apiKey?: string
  dialect: GrammarDialect
  timeoutMs?: number
}

interface Logprobs {
  /** OpenAI completions and vLLM */
  token_logprobs?: (number | null)[]
  /** llama-server */
  content?: { logprob?: number }[]
}

interface Completion {
  choices?: { text?: string; index?: number; logprobs?: Logprobs | null }[]
  usage?: { prompt_tokens?: number; completion_tokens?: number }
}

/** Mean token log-probability, from whichever of the two shapes the server sends. */
function withLogprob(g: Generation, logprobs: Logprobs | null | undefined): Generation {
  const xs = (logprobs?.token_logprobs ?? logprobs?.content?.map((c) => c.logprob) ?? []).filter(
    (x): x is number => typeof x === 'number',
  )
  return xs.length ? { ...g, meanLogprob: xs.reduce((sum, x) => sum + x, 0) / xs.length } : g
}

export class ServerBackend implements GenerativeBackend {
  readonly kind = 'generative'
  readonly info: ModelInfo
  private readonly opts: ServerOptions
  private readonly grammars = new Map<unknown, string>()

  private constructor(info: ModelInfo, opts: ServerOptions) {
    this.info = info
    this.opts = opts
  }

  static async open(opts: ServerOptions): Promise<ServerBackend> {
    let model = opts.model
    if (!model) {
      const res = await fetch(new URL('/v1/models', opts.baseUrl), {
        headers: ServerBackend.headers(opts),
      })
      if (!res.ok) throw new Error(`${opts.baseUrl}: /v1/models answered ${res.status}`)
      const body = (await res.json()) as { data?: { id?: string }[] }
      model = body.data?.[0]?.id
      if (!model) throw new Error(`${opts.baseUrl}: the server lists no model`)
    }
    return new ServerBackend(
      { backend: `server:${opts.dialect}`, name: model, digest: `server-model:${model}` },
      { ...opts, model },
    )
  }

  private static headers(opts: ServerOptions): Record<string, string> {
    return {
      'content-type': 'application/json',
      ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
    }
  }

  private async complete(
    r: GenerationRequest,
    n: number,
    temperature: number,
    seed: number,
  ): Promise<Completion> {
    let grammar = r.grammar ?? this.grammars.get(r.task)
    if (!grammar) {
      grammar = recordGrammar(r.task)
      this.grammars.set(r.task, grammar)
    }
    const constraint =
      this.opts.dialect === 'vllm' ? { structured_outputs: { grammar } } : { grammar }
    const res = await fetch(new URL('/v1/completions', this.opts.baseUrl), {
      method: 'POST',
      headers: ServerBackend.headers(this.opts),
      body: JSON.stringify({
        model: this.opts.model,
        prompt: r.prompt,
        max_tokens: r.maxTokens,
        temperature,
        seed,
        n,
        logprobs: 1,
        ...constraint,
      }),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 300_000),
    })
    if (!res.ok) {
      // the status only: an error body may quote the prompt
      throw new Error(`model server answered ${res.status} ${res.statusText}`)
    }
    return (await res.json()) as Completion
  }

  async generate(r: GenerationRequest): Promise<GenerationResult> {
    const start = performance.now()
    const [greedy, sampled] = await Promise.all([
      this.complete(r, 1, 0, r.seed),
      r.samples > 0
        ? this.complete(r, r.samples, r.temperature, r.seed + 1)
        : Promise.resolve(undefined),
    ])
    const choices = (sampled?.choices ?? []).sort((x, y) => (x.index ?? 0) - (y.index ?? 0))
    // a server that ignores `n` gets the missing samples one request each
    for (let k = choices.length; k < r.samples; k++) {
      choices.push(
        (await this.complete(r, 1, r.temperature, r.seed + 1 + k)).choices?.[0] ?? { text: '' },
      )
    }
    const perSample = Math.round(
      (sampled?.usage?.completion_tokens ?? 0) / Math.max(1, choices.length),
    )
    const first = greedy.choices?.[0]
    return {
      greedy: withLogprob(
        { text: first?.text ?? '', tokens: greedy.usage?.completion_tokens ?? 0 },
        first?.logprobs,
      ),
      samples: choices.map((c) =>
        withLogprob({ text: c.text ?? '', tokens: perSample }, c.logprobs),
      ),
      promptTokens: greedy.usage?.prompt_tokens ?? 0,
      modelMs: performance.now() - start,
    }
  }

  async close(): Promise<void> {}
}
