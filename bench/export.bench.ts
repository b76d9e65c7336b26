/**
 * Exports at scale: 10,000 cmr52 results (the 24 sample results under new ids) through each
 * format in one streaming pass, each format in its own process so that its peak memory is its
 * own. Prints the time per 1,000 reports, the peak RSS, and how both grow from 2,500 to 10,000.
 * Run: node bench/export.bench.ts
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ExportFormat, writeExport } from '../cli/commands/export.ts'
import { readStoredResult, viewOfStored } from '../core/contracts.ts'
import { type ExportRecord, toExportRecord } from '../core/export/record.ts'
import { builtinTask } from '../schemas/index.ts'

const root = join(import.meta.dirname, '..')
const task = builtinTask('cmr52')
if (!task) throw new Error('no cmr52')

const [format, count] = process.argv.slice(2)
if (format) {
  // the child: read the sample results once, stream `count` records through one format
  const dir = process.env.RESULTS_DIR as string
  const base = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('export'))
    .map((f) =>
      toExportRecord(task, viewOfStored(readStoredResult(readFileSync(join(dir, f), 'utf8')))),
    )
  async function* records(n: number): AsyncGenerator<ExportRecord> {
    for (let i = 0; i < n; i++) yield { ...(base[i % base.length] as ExportRecord), id: `r${i}` }
  }
  const out = join(mkdtempSync(join(tmpdir(), 'radstruct-export-bench-')), `out.${format}`)
  const t0 = performance.now()
  await writeExport(task, records(Number(count)), format as ExportFormat, out)
  const ms = performance.now() - t0
  console.log(
    JSON.stringify({
      ms,
      rssMiB: process.resourceUsage().maxRSS / 1024,
      bytes: statSync(out).size,
    }),
  )
} else {
  const dir = mkdtempSync(join(tmpdir(), 'radstruct-export-results-'))
  execFileSync(
    process.execPath,
    [
      join(root, 'bin', 'radstruct.mjs'),
      'extract',
      '--task',
      'cmr52',
      '--in',
      join(root, 'examples', 'samples', 'cmr52'),
      '--out',
      dir,
    ],
    { stdio: 'ignore' },
  )
  console.log(
    `radstruct export bench: Node ${process.version}, cmr52 (53 fields), one process per run\n`,
  )
  console.log('format               reports   ms / 1,000   peak RSS   output')
  for (const f of ['fhir', 'fhir-transaction', 'redcap', 'parquet'])
    for (const n of [2_500, 10_000]) {
      const r = JSON.parse(
        execFileSync(process.execPath, [import.meta.filename, f, String(n)], {
          env: { ...process.env, RESULTS_DIR: dir },
        }).toString(),
      ) as { ms: number; rssMiB: number; bytes: number }
      console.log(
        `${f.padEnd(18)} ${n.toLocaleString('en-US').padStart(9)} ${(r.ms / (n / 1000)).toFixed(0).padStart(12)} ${`${r.rssMiB.toFixed(0)} MiB`.padStart(10)} ${`${(r.bytes / 2 ** 20).toFixed(1)} MiB`.padStart(10)}`,
      )
    }
}
