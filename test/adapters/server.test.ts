/**
 * The server backend against a real llama-server (built from the llama.cpp source bundle by
 * scripts/build-llama-server.sh, which `npm test` runs first), serving the tiny GGUF model.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerBackend } from '../../adapters/backends/server.ts'
import { parseOutput } from '../../core/extraction/pipeline.ts'
import { runCli, task } from '../helpers.ts'
import { startLlamaServer } from '../llama-server.ts'

let server: { baseUrl: string; stop: () => void }
let baseUrl: string

beforeAll(async () => {
  server = await startLlamaServer()
  baseUrl = server.baseUrl
}, 90_000)

afterAll(() => {
  server?.stop()
})

const request = (samples: number, seed = 3) => ({
  task: task('cxr14'),
  prompt: '### Task: cxr14\n### Report:\nNo pneumothorax. Small left effusion.\n### Record:\n',
  samples,
  temperature: 0.3,
  seed,
  maxTokens: 600,
})

describe('server backend against llama-server', () => {
  it('names the served model', async () => {
    const backend = await ServerBackend.open({ baseUrl, dialect: 'llama.cpp' })
    expect(backend.info.backend).toBe('server:llama.cpp')
    expect(backend.info.name).toContain('tiny-random')
  })

  it('returns a greedy output and K samples from one `n` request, all valid records under the grammar', async () => {
    const backend = await ServerBackend.open({ baseUrl, dialect: 'llama.cpp' })
    const r = await backend.generate(request(3))
    expect(r.samples).toHaveLength(3)
    for (const g of [r.greedy, ...r.samples])
      expect(parseOutput(task('cxr14'), g.text).ok, g.text.slice(0, 60)).toBe(true)
    expect(r.promptTokens).toBeGreaterThan(10)
    expect(r.greedy.tokens).toBeGreaterThan(0)
  }, 60_000)

  it('the greedy output is the same on every call', async () => {
    const backend = await ServerBackend.open({ baseUrl, dialect: 'llama.cpp' })
    const a = await backend.generate(request(0))
    const b = await backend.generate(request(0))
    expect(b.greedy.text).toBe(a.greedy.text)
  }, 60_000)

  it('radstruct extract --backend server writes results like the embedded backend', async () => {
    const input = mkdtempSync(join(tmpdir(), 'radstruct-in-'))
    writeFileSync(join(input, 'x1.txt'), 'Cardiomegaly. No effusion.')
    const out = join(mkdtempSync(join(tmpdir(), 'radstruct-out-')), 'r')
    const { code, out: stdout } = await runCli(
      'extract',
      '--task',
      'cxr14',
      '--in',
      input,
      '--out',
      out,
      '--backend',
      'server',
      '--server-url',
      baseUrl,
      '--dialect',
      'llama.cpp',
      '--samples',
      '2',
      '--max-tokens',
      '600',
    )
    expect(code).toBe(0)
    expect(stdout).toContain('(server:llama.cpp)')
    const result = JSON.parse(readFileSync(join(out, 'x1.json'), 'utf8'))
    expect(result).toMatchObject({
      reportId: 'x1',
      model: { backend: 'server:llama.cpp' },
      report: { samples: 2 },
    })
    // the server's token log-probabilities, per output (greedy first)
    expect(result.outputs.meanLogprob).toHaveLength(3)
    for (const lp of result.outputs.meanLogprob) expect(lp).toBeLessThanOrEqual(0)
  }, 60_000)
})
