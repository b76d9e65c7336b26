/**
 * The local stack restarted: D1 persisted before; now the local SQS/S3 server keeps its queues and
 * objects in the same state folder (fauxqs dataDir), so a result stored before a restart is still
 * there after it, and `radstruct results` still returns it.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../../local/stack.ts'
import { runCli } from '../helpers.ts'

const stateDir = mkdtempSync(join(tmpdir(), 'radstruct-restart-'))
const logs: string[] = []
const opts = {
  awsPort: 0,
  edgePort: 0,
  workerPort: 0,
  stateDir,
  samples: 0,
  log: (s: string, l: string) => logs.push(`[${s}] ${l}`),
}
let stack: Stack | undefined
afterAll(async () => {
  await stack?.stop()
})

describe('the local stack across a restart', () => {
  it('keeps every stored result and the batch counts', async () => {
    stack = await startStack(opts)
    const cli = (s: Stack, ...args: string[]) =>
      runCli(...args, '--url', s.edgeUrl, '--key', s.site.key)
    const dir = mkdtempSync(join(tmpdir(), 'radstruct-restart-in-'))
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(dir, 'a.txt'), 'LV ejection fraction 55 %. LV end-diastolic volume 150 ml.')
    writeFileSync(join(dir, 'b.txt'), 'LV ejection fraction 61 %. RV ejection fraction 58 %.')
    const up = await cli(stack, 'upload', dir, '--task', 'cmr52', '--wait')
    expect(up.code, `${up.err}\n${logs.slice(-30).join('\n')}`).toBe(0)
    const batch = /(bat_\w+): 2 accepted, 0 refused, 0 queued, 2 done/.exec(up.out)?.[1]
    expect(batch, up.out).toBeDefined()
    await stack.stop()
    stack = await startStack(opts)
    const status = await cli(stack, 'status', batch as string)
    expect(status.out).toContain(`${batch}: 2 accepted, 0 refused, 0 queued, 2 done`)
    const out = join(mkdtempSync(join(tmpdir(), 'radstruct-restart-out-')), 'r.csv')
    const res = await cli(stack, 'results', batch as string, '--format', 'csv', '-o', out)
    expect(res.code, res.err).toBe(0)
    const { readFileSync } = await import('node:fs')
    const rows = readFileSync(out, 'utf8').trim().split('\r\n')
    expect(rows).toHaveLength(3)
  }, 300_000)
})
