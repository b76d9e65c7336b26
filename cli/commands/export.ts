/** radstruct export: results as FHIR R4, REDCap or Parquet, from local result files or batches. */

import { once } from 'node:events'
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { parquetWriter } from '../../adapters/export/parquet.ts'
import {
  type ResultView,
  readResultView,
  readStoredResult,
  viewOfStored,
} from '../../core/contracts.ts'
import { type ExportRecord, toExportRecord } from '../../core/export/record.ts'
import { redcapDictionary } from '../../core/export/redcap.ts'
import { textExport } from '../../core/export/text.ts'
import type { Task } from '../../schemas/index.ts'
import { CliError } from '../errors.ts'
import { jsonFilesById, loadTask, outputPath } from '../io.ts'
import { siteClient } from '../site-client.ts'

type Options = Record<string, string | boolean | undefined>

export const exportFormats = [
  'fhir',
  'fhir-transaction',
  'redcap',
  'redcap-dictionary',
  'parquet',
] as const
export type ExportFormat = (typeof exportFormats)[number]

export const exportUsage = `radstruct export --task TASK (--from DIR | BATCH...) --format FORMAT -o FILE

Writes results where consortia keep their data, in one streaming pass:
  fhir               a FHIR R4 Bundle (collection): per report a DiagnosticReport and an
                     Observation per stated value (LOINC where the task file gives a code, UCUM units,
                     confidence / flagged / reviewed / model / evidence as extensions, Provenance
                     for reviewer decisions)
  fhir-transaction   the same as a transaction Bundle (PUT by id) to load into a FHIR server
  redcap             a REDCap import CSV, one record per report; with redcap-dictionary, the
                     data dictionary it matches (upload that first)
  parquet            one row per report, typed columns per field (value, confidence, flagged, source)
--from DIR reads the result files of \`radstruct extract\`; BATCH... reads batches from the API
(--url, --key as for \`radstruct results\`), reviewer decisions included.`

export const exportExtension = (f: ExportFormat) =>
  f === 'parquet' ? 'parquet' : f.startsWith('fhir') ? 'fhir.json' : 'csv'

export function isExportFormat(f: unknown): f is ExportFormat {
  return typeof f === 'string' && (exportFormats as readonly string[]).includes(f)
}

/** Records from a folder of result files, one at a time. */
export async function* recordsFromFolder(task: Task, dir: string): AsyncGenerator<ExportRecord> {
  for (const [id, path] of jsonFilesById(dir)) {
    if (id.startsWith('corrections') || id.startsWith('export.')) continue
    let view: ResultView
    try {
      view = viewOfStored(readStoredResult(readFileSync(path, 'utf8')))
    } catch (e) {
      throw new CliError(`${path}: ${(e as Error).message}`)
    }
    yield toExportRecord(task, view)
  }
}

/** Records from NDJSON lines (the API's results of a batch), one at a time. */
export async function* recordsFromLines(
  task: Task,
  lines: AsyncIterable<string>,
  where: string,
): AsyncGenerator<ExportRecord> {
  let n = 0
  for await (const line of lines) {
    n++
    if (!line.trim()) continue
    let view: ResultView
    try {
      view = readResultView(JSON.parse(line))
    } catch (e) {
      throw new CliError(`${where} line ${n}: ${(e as Error).message}`)
    }
    yield toExportRecord(task, view)
  }
}

/** Writes the records in the format to `path`; returns how many reports were written. */
export async function writeExport(
  task: Task,
  records: AsyncIterable<ExportRecord>,
  format: ExportFormat,
  path: string,
): Promise<number> {
  outputPath(path)
  if (format === 'parquet') {
    const w = await parquetWriter(task, path)
    for await (const r of records) w.add(r)
    return w.finish()
  }
  const out = createWriteStream(path)
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain')
  }
  let n = 0
  if (format === 'redcap-dictionary') await write(redcapDictionary(task))
  else {
    const text = textExport(task, format, new Date().toISOString())
    await write(text.head)
    for await (const r of records) {
      const piece = text.record(r)
      if (piece) await write(piece)
      n++
    }
    await write(text.tail)
  }
  out.end()
  await once(out, 'finish')
  return n
}

export async function runExport(opts: Options): Promise<string> {
  const task = loadTask(opts.task as string | undefined)
  if (!isExportFormat(opts.format))
    throw new CliError(
      `--format: expected one of ${exportFormats.join(', ')}, got '${String(opts.format)}'`,
    )
  if (typeof opts.o !== 'string') throw new CliError('missing -o', 'the file to write')
  const batches = ((opts._ as unknown as string[] | undefined) ?? []).filter(Boolean)
  let records: AsyncIterable<ExportRecord>
  if (typeof opts.from === 'string') {
    if (!existsSync(opts.from) || !statSync(opts.from).isDirectory())
      throw new CliError(`--from ${opts.from}: not a folder of result files`)
    records = recordsFromFolder(task, opts.from)
  } else if (batches.length) {
    records = recordsFromBatches(task, batches, opts)
  } else if (opts.format === 'redcap-dictionary') {
    records = (async function* () {})()
  } else throw new CliError('nothing to export', '--from DIR (result files) or batch ids')
  const n = await writeExport(task, records, opts.format, opts.o)
  return opts.format === 'redcap-dictionary'
    ? `data dictionary -> ${opts.o}`
    : `${n} report(s) -> ${opts.o}`
}

export async function* recordsFromBatches(
  task: Task,
  batches: string[],
  opts: Options,
): AsyncGenerator<ExportRecord> {
  const client = siteClient(opts)
  for (const id of batches) {
    const res = await client.request(
      'GET',
      `/v1/batches/${encodeURIComponent(id)}/results?format=ndjson`,
    )
    if (!res.body) continue
    const lines = createInterface({
      input: Readable.fromWeb(res.body as never),
      crlfDelay: Number.POSITIVE_INFINITY,
    })
    yield* recordsFromLines(task, lines, id)
  }
}
