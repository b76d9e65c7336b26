/**
 * The README, followed literally: its shell blocks are read from README.md (never retyped here)
 * and run with bash against a local stack — the file-only quick start, the drop folder with the
 * AWS CLI, the curl session of the edge API and the reviewer's first request. The only edits are
 * the ports (the test's stack listens on free ones) and the placeholders the README marks with
 * "..." (rsk_..., rvw_..., bat_...), which take the values the previous commands printed.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../../local/stack.ts'
import { root } from '../helpers.ts'
import { systemParts } from '../system-parts.ts'

const run = promisify(execFile)
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const awsCli = systemParts.awsCli.find() !== undefined
const tmp = () => mkdtempSync(join(tmpdir(), 'radstruct-readme-'))

/** The first ```sh block after `marker` in the README. */
function block(marker: string): string {
  const at = readme.indexOf(marker)
  if (at < 0) throw new Error(`README has no "${marker}"`)
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))
  if (!m) throw new Error(`no sh block after "${marker}"`)
  return m[1] as string
}

/** Commands of a block: comments and blank lines dropped, continuation and pipe lines joined. */
function commands(text: string): string[] {
  const out: string[] = []
  let cur = ''
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trimEnd()
    if (!line.trim() || line.trim().startsWith('#')) continue
    cur = cur ? `${cur}\n${line}` : line
    if (line.endsWith('\\') || line.endsWith('|')) continue
    out.push(cur)
    cur = ''
  }
  return out
}

let stack: Stack
const logs: string[] = []
beforeAll(async () => {
  stack = await startStack({
    awsPort: 0,
    edgePort: 0,
    workerPort: 0,
    stateDir: tmp(),
    samples: 0,
    log: (source, line) => logs.push(`[${source}] ${line}`),
  })
}, 120_000)
afterAll(async () => {
  await stack?.stop()
})

/** Runs one README command with bash; `vars` are the shell variables earlier lines set. */
async function sh(
  cmd: string,
  vars: Record<string, string>,
  cwd = root,
): Promise<{ out: string; code: number }> {
  const edge = new URL(stack.edgeUrl)
  const aws = new URL(stack.awsEndpoint)
  // `npx radstruct` is this checkout's CLI, from whatever folder a command runs in (npx alone
  // would look for a package of that name outside the project)
  const npx = `npx() { if [ "$1" = radstruct ]; then shift; node '${join(root, 'bin', 'radstruct.mjs')}' "$@"; else command npx "$@"; fi; }\n`
  const script =
    npx + cmd.replaceAll('127.0.0.1:8787', edge.host).replaceAll('127.0.0.1:4566', aws.host)
  try {
    const r = await run('bash', ['-o', 'pipefail', '-c', script], {
      cwd,
      env: {
        ...process.env,
        ...vars,
        PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
        // the test's stack keeps its state in a temp folder: its URL, key and admin token
        RADSTRUCT_URL: stack.edgeUrl,
        RADSTRUCT_KEY: stack.site.key,
        RADSTRUCT_ADMIN_TOKEN: stack.adminToken,
      },
      maxBuffer: 16 * 1024 * 1024,
    })
    return { out: r.stdout + r.stderr, code: 0 }
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number }
    return { out: `${x.stdout ?? ''}${x.stderr ?? ''}`, code: x.code ?? 1 }
  }
}

describe('the README, literally', () => {
  it('quick start without the stack: extract the samples, then eval them', async () => {
    const cmds = commands(block('Without the stack, the extraction pipeline runs on files'))
    expect(cmds).toHaveLength(2)
    for (const c of cmds) {
      const r = await sh(c, {})
      expect(r.code, r.out).toBe(0)
    }
    const evalOut = (await sh(cmds[1] as string, {})).out
    expect(evalOut).toMatch(/variable-level accuracy\s+\d/)
  }, 300_000)

  it.skipIf(!awsCli)(
    'the drop folder: the AWS CLI line puts a file, and it becomes a batch',
    async () => {
      const cwd = tmp()
      writeFileSync(
        join(cwd, 'reports.ndjson'),
        `${JSON.stringify({ id: 'r1', text: 'LVEF 55 %. LV end-diastolic volume 150 ml.' })}\n`,
      )
      const cmds = commands(block('Locally (the local S3'))
      expect(cmds[0]).toContain('aws --endpoint-url')
      const put = await sh(cmds[0] as string, {}, cwd)
      expect(put.code, put.out).toBe(0)
      const deadline = Date.now() + 120_000
      let listed = ''
      while (Date.now() < deadline) {
        listed = (await sh(cmds[1] as string, {}, cwd)).out
        if (/drp_\w+\s+cmr52\s+\S+\s+1\s+0\s+complete/.test(listed)) break
        await new Promise((r) => setTimeout(r, 1000))
      }
      expect(listed).toMatch(/drp_\w+\s+cmr52\s+\S+\s+1\s+0\s+complete/)
    },
    180_000,
  )

  it('the edge API session: admin site and key, an NDJSON upload with curl, status and results', async () => {
    const cmds = commands(block('A session (with `wrangler dev` alone'))
    const vars: Record<string, string> = {}
    let last = ''
    let batch = ''
    for (const c of cmds) {
      const assign = /^(\w+)=(\S+)$/.exec(c)
      if (assign) {
        // KEY=rsk_...: the key the previous command printed
        const value = (assign[2] as string).endsWith('...')
          ? (new RegExp(`${(assign[2] as string).slice(0, -3)}\\w+`).exec(last)?.[0] ?? '')
          : (assign[2] as string)
        expect(value, `${c} after:\n${last}`).not.toBe('')
        vars[assign[1] as string] = value
        continue
      }
      const r = await sh(batch ? c.replaceAll('bat_...', batch) : c, vars)
      expect(r.code, `${c}\n${r.out}`).toBe(0)
      last = r.out
      batch ||= /"batch":"(bat_\w+)"/.exec(r.out)?.[1] ?? ''
    }
    expect(batch).toMatch(/^bat_/)
    // the upload's answer as the README shows it: one accepted, one refused for an identifier
    const status = await sh(
      `curl -s ${stack.edgeUrl}/v1/batches/${batch} -H "authorization: Bearer ${vars.KEY}"`,
      {},
    )
    expect(JSON.parse(status.out).counts).toMatchObject({ accepted: 1, rejected: 1 })
  }, 180_000)

  it('review: the admin reviewer line makes a token, and the curl line reads the queue with it', async () => {
    const cmds = commands(block('`radstruct distill review` reads, so reviewed production data'))
    const vars: Record<string, string> = {}
    let last = ''
    for (const c of cmds) {
      const assign = /^(\w+)=(rvw_\.\.\.)$/.exec(c)
      if (assign) {
        vars[assign[1] as string] = /rvw_\w+/.exec(last)?.[0] ?? ''
        expect(vars[assign[1] as string], last).not.toBe('')
        continue
      }
      const r = await sh(c, vars)
      expect(r.code, `${c}\n${r.out}`).toBe(0)
      last = r.out
    }
    expect(JSON.parse(last)).toHaveProperty('reports')
  }, 120_000)

  it('exports: one command per format, in a scratch folder; each output loads', async () => {
    const cwd = tmp()
    const cmds = commands(block('## Exports: FHIR R4, REDCap, Parquet'))
    expect(cmds).toHaveLength(5)
    for (const c of cmds) {
      // the README runs from the checkout; here the samples are read from it, outputs stay in cwd
      const r = await sh(c.replaceAll('examples/', `${join(root, 'examples')}/`), {}, cwd)
      expect(r.code, `${c}\n${r.out}`).toBe(0)
    }
    const bundle = JSON.parse(readFileSync(join(cwd, 'out', 'export', 'export.fhir.json'), 'utf8'))
    expect(bundle.entry.length).toBeGreaterThan(24 * 20)
    const tx = JSON.parse(readFileSync(join(cwd, 'out', 'cmr52.transaction.fhir.json'), 'utf8'))
    expect(tx.type).toBe('transaction')
    expect(
      readFileSync(join(cwd, 'out', 'cmr52.redcap.csv'), 'utf8')
        .trim()
        .split('\r\n'),
    ).toHaveLength(25)
    expect(readFileSync(join(cwd, 'out', 'cmr52.dictionary.csv'), 'utf8')).toMatch(
      /^Variable \/ Field Name,Form Name/,
    )
    const { DuckDBInstance } = await import('@duckdb/node-api')
    const con = await (await DuckDBInstance.create(':memory:')).connect()
    const rows = await con.runAndReadAll(
      `SELECT count(*) AS n FROM read_parquet('${join(cwd, 'out', 'cmr52.parquet')}') WHERE LVEF IS NOT NULL`,
    )
    // the Parquet file holds every LVEF the extraction stated, no more, no fewer
    const stated = readdirSync(join(cwd, 'out', 'export'))
      .filter((f) => f.endsWith('.json') && !f.startsWith('export'))
      .filter(
        (f) => JSON.parse(readFileSync(join(cwd, 'out', 'export', f), 'utf8')).values?.LVEF != null,
      ).length
    expect(stated).toBeGreaterThan(10)
    expect(Number(rows.getRowObjects()[0]?.n)).toBe(stated)
  }, 180_000)
})
