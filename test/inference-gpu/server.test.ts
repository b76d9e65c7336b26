/**
 * The server backend against a real llama-server (built from the llama.cpp source bundle by
 * scripts/build-llama-server.sh, which `npm test` runs first), serving the tiny GGUF model.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../cli/main.ts'
import { ServerBackend } from '../../inference-gpu/backends/server.ts'
import { parseOutput } from '../../inference-gpu/pipeline.ts'
import { root, task } from '../helpers.ts'

const binary =
  process.env.LLAMA_SERVER ?? join(root, '.cache', 'llama.cpp', 'build', 'bin', 'llama-server')
let server: ChildProcess
let baseUrl: string

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

beforeAll(async () => {
  if (!existsSync(binary))
    throw new Error(`${binary} is missing: run scripts/build-llama-server.sh (npm test does)`)
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  server = spawn(
    binary,
    [
      '-m',
      join(root, 'models', 'tiny-random.gguf'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '-np',
      '4',
      '-c',
      '16384',
      '-t',
      '1',
      '--no-webui',
    ],
    {
      stdio: 'ignore',
      // a shared-library build keeps its libraries beside the binary
      env: { ...process.env, LD_LIBRARY_PATH: dirname(binary) },
    },
  )
  let exited: number | null | undefined
  server.on('exit', (code) => {
    exited = code
  })
  const end = Date.now() + 60_000
  for (;;) {
    const ok = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (exited !== undefined) throw new Error(`llama-server exited with ${exited} before serving`)
    if (Date.now() > end) throw new Error('llama-server did not become healthy')
    await new Promise((r) => setTimeout(r, 200))
  }
}, 90_000)

afterAll(() => {
  server?.kill('SIGTERM')
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
    let stdout = ''
    const code = await main(
      [
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
      ],
      (s) => {
        stdout += s
      },
      () => undefined,
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
