import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedBackend } from '../../adapters/backends/embedded.ts'
import { parseOutput } from '../../core/extraction/pipeline.ts'
import { root, task } from '../helpers.ts'

// A real llama.cpp runtime on a real (tiny, random) GGUF file: the outputs mean nothing, but
// loading, grammar-constrained decoding, seeds and parallel sequences are the production path.
const modelPath = join(root, 'models', 'tiny-random.gguf')
let backend: EmbeddedBackend

beforeAll(async () => {
  backend = await EmbeddedBackend.open({ modelPath, sequences: 3, contextSize: 2048 })
}, 60_000)
afterAll(async () => {
  await backend?.close()
})

const request = (taskId: string, samples: number, seed = 7) => ({
  task: task(taskId),
  prompt: '### Report:\nLVEF 58 %. No pneumothorax.\n### Record:\n',
  samples,
  temperature: 0.3,
  seed,
  maxTokens: 1200,
})

describe('embedded backend (node-llama-cpp, tiny GGUF)', () => {
  it('identifies the model by name and sha256 digest', () => {
    expect(backend.info).toMatchObject({
      backend: 'embedded',
      name: 'tiny-random.gguf',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    })
  })

  it.each(['cmr52', 'cxr14', 'bonemets3'])(
    'the grammar makes every output a valid %s record (greedy + 2 samples)',
    async (id) => {
      const r = await backend.generate(request(id, 2))
      expect(r.samples).toHaveLength(2)
      for (const g of [r.greedy, ...r.samples]) {
        const parsed = parseOutput(task(id), g.text)
        expect(parsed.ok, g.text.slice(0, 80)).toBe(true)
        expect(g.tokens).toBeGreaterThan(0)
      }
      expect(r.promptTokens).toBeGreaterThan(10)
    },
    60_000,
  )

  it('is reproducible: the same seed gives the same samples, another seed other ones', async () => {
    const a = await backend.generate(request('cxr14', 2, 11))
    const b = await backend.generate(request('cxr14', 2, 11))
    const c = await backend.generate(request('cxr14', 2, 12))
    expect(b.samples.map((s) => s.text)).toEqual(a.samples.map((s) => s.text))
    expect(b.greedy.text).toBe(a.greedy.text)
    expect(c.samples.map((s) => s.text)).not.toEqual(a.samples.map((s) => s.text))
  }, 60_000)

  it('K = 0 gives the greedy output alone', async () => {
    const r = await backend.generate(request('bonemets3', 0))
    expect(r.samples).toEqual([])
  }, 60_000)

  it('reports wait for free sequences instead of failing when they run at once', async () => {
    const all = await Promise.all([
      backend.generate(request('bonemets3', 2, 1)),
      backend.generate(request('bonemets3', 2, 2)),
    ])
    for (const r of all) expect(r.samples).toHaveLength(2)
  }, 60_000)

  it('more samples than sequences run in waves', async () => {
    const r = await backend.generate(request('bonemets3', 5))
    expect(r.samples).toHaveLength(5)
  }, 60_000)
})
