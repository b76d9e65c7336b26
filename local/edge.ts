/** The edge in workerd as `wrangler dev` runs it: local D1 (migrations applied), R2 and Queues kept
 * under `stateDir`, offline. Used by the local stack and the edge benchmark. */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { type Unstable_DevWorker, unstable_dev } from 'wrangler'

const root = join(import.meta.dirname, '..')

export async function startLocalEdge(opts: {
  stateDir: string
  port?: number
  vars: Record<string, string>
}): Promise<Unstable_DevWorker> {
  // the D1 schema, as `wrangler d1 migrations apply --local` would
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'd1',
      'migrations',
      'apply',
      'radstruct',
      '--local',
      '--persist-to',
      opts.stateDir,
    ],
    { cwd: root, stdio: 'ignore', env: { ...process.env, CI: '1' } },
  )
  // offline: no fetch of Cloudflare's Request.cf placeholder data
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'
  return unstable_dev(join(root, 'functions', 'index.ts'), {
    config: join(root, 'wrangler.toml'),
    port: opts.port ?? 8787,
    ip: '127.0.0.1',
    persistTo: opts.stateDir,
    logLevel: 'error',
    vars: opts.vars,
    // /__scheduled runs the cron handler: the stack calls it on a timer, as Cloudflare's cron would
    experimental: { disableExperimentalWarning: true, testScheduled: true },
  })
}
