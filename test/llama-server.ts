/** Starts llama.cpp's llama-server (built by scripts/build-llama-server.sh) on a free port for a test file. */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { root } from './helpers.ts'

export const llamaServerBinary =
  process.env.LLAMA_SERVER ?? join(root, '.cache', 'llama.cpp', 'build', 'bin', 'llama-server')

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Serves models/tiny-random.gguf; resolves with its base URL once /health answers. */
export async function startLlamaServer(
  parallel = 4,
): Promise<{ baseUrl: string; stop: () => void }> {
  if (!existsSync(llamaServerBinary))
    throw new Error(
      `${llamaServerBinary} is missing: run scripts/build-llama-server.sh (npm test does)`,
    )
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const model = join(root, 'models', 'tiny-random.gguf')
  const args = [
    '-m',
    model,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '-np',
    String(parallel),
    '-c',
    String(4096 * parallel),
    '-t',
    '1',
    '--no-webui',
  ]
  const server: ChildProcess = spawn(llamaServerBinary, args, {
    stdio: 'ignore',
    // a shared-library build keeps its libraries beside the binary
    env: { ...process.env, LD_LIBRARY_PATH: dirname(llamaServerBinary) },
  })
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
  return { baseUrl, stop: () => server.kill('SIGTERM') }
}
