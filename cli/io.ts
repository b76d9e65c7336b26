/** File input for the CLI: every failure names the file and what was expected. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { type ReportInput, splitReports } from '../core/reports/split.ts'
import { textOfBytes } from '../core/text/charset.ts'
import {
  builtinTaskIds,
  type Task,
  TaskError,
  type TaskRecord,
  UnknownTaskError,
  validateRecord,
} from '../schemas/index.ts'
import { loadTask as loadTaskFile } from '../schemas/load.ts'
import { CliError } from './errors.ts'

export function readText(path: string): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new CliError(`${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : code})`)
  }
  // a binary file is named, never echoed: its bytes could be anything (or identify someone)
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    if (text.includes('\u0000')) throw new Error('NUL')
    return text
  } catch {
    throw new CliError(`${path}: not a text file (expected UTF-8 text, found binary data)`)
  }
}

export function readJson(path: string): unknown {
  const text = readText(path)
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new CliError(`${path}: not valid JSON (${(e as Error).message})`)
  }
}

/** A shipped task id (cmr52) or the path of a task file. */
export function loadTask(idOrPath: string | undefined): Task {
  if (!idOrPath)
    throw new CliError(
      'missing --task',
      `one of ${builtinTaskIds.join(', ')}, or the path of a task file`,
    )
  try {
    return loadTaskFile(idOrPath, readJson)
  } catch (e) {
    if (e instanceof UnknownTaskError) throw new CliError(e.message, 'or the path of a task file')
    if (e instanceof TaskError) throw new CliError(e.message)
    throw e
  }
}

/** A record file of the task; a scored result's `values` is accepted too. */
export function readRecord(
  task: Task,
  path: string,
): { record: TaskRecord; confidence?: Record<string, number> } {
  const data = readJson(path)
  const isResult =
    typeof data === 'object' &&
    data !== null &&
    'values' in data &&
    typeof (data as { values: unknown }).values === 'object'
  const values = isResult ? (data as { values: unknown }).values : data
  const check = validateRecord(task, values, { partial: true })
  if (!check.ok) {
    throw new CliError(
      `${path}: not a record of task ${task.id}\n${check.issues.map((i) => `  - ${i.field || '(record)'}: ${i.message}`).join('\n')}`,
    )
  }
  const confidence = isResult
    ? (data as { confidence?: Record<string, number> }).confidence
    : undefined
  return confidence ? { record: check.record, confidence } : { record: check.record }
}

/** JSON files of a folder by report id (file name without .json), or one file. */
export function jsonFilesById(path: string): Map<string, string> {
  if (!existsSync(path)) throw new CliError(`${path}: no such file or folder`)
  if (statSync(path).isFile()) return new Map([[basename(path, '.json'), path]])
  const out = new Map<string, string>()
  for (const name of readdirSync(path).sort())
    if (extname(name) === '.json') out.set(basename(name, '.json'), join(path, name))
  return out
}

/** The report files of a path: the file itself, or a folder's .txt, .ndjson, .jsonl and .json files
 * (a NNN.json beside NNN.txt is that report's label, not a report). */
export function reportFiles(path: string): string[] {
  if (!existsSync(path)) throw new CliError(`${path}: no such file or folder`)
  if (statSync(path).isFile()) return [path]
  const names = readdirSync(path)
  const texts = new Set(names.filter((f) => /\.txt$/i.test(f)).map((f) => f.slice(0, -4)))
  return names
    .filter((f) => /\.(txt|ndjson|jsonl|json)$/i.test(f))
    .filter((f) => !(/\.json$/i.test(f) && texts.has(f.slice(0, -5))))
    .sort()
    .map((f) => join(path, f))
}

/** A report file as text, refusing what is not a report: binary, not UTF-8, or empty. */
export function readReportFile(file: string): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw new CliError(`${file}: cannot read file (${(e as NodeJS.ErrnoException).code})`)
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
  if (!utf16 && bytes.includes(0)) throw new CliError(`${file}: a binary file, not a text report`)
  const decoded = textOfBytes(bytes)
  if (!decoded.ok) throw new CliError(`${file}: ${decoded.reason}`)
  if (!decoded.text.trim()) throw new CliError(`${file}: empty file`)
  return decoded.text
}

/** Every report under a path, and every problem (file, line, field) with the files that have one. */
export function readReports(path: string): { reports: ReportInput[]; problems: string[] } {
  const reports: ReportInput[] = []
  const problems: string[] = []
  for (const file of reportFiles(path)) {
    let text: string
    try {
      text = readReportFile(file)
    } catch (e) {
      problems.push((e as Error).message)
      continue
    }
    const split = splitReports(basename(file), text)
    reports.push(...split.reports)
    problems.push(
      ...split.errors.map((e) => `${file}${e.where ? ` ${e.where}` : ''}: ${e.message}`),
    )
  }
  return { reports, problems }
}

/** A file the CLI writes (-o, --out): its folder is made if missing, as a user expects of `-o out/x.csv`. */
export function outputPath(path: string): string {
  try {
    mkdirSync(dirname(path), { recursive: true })
  } catch (e) {
    throw new CliError(`${path}: cannot make its folder (${(e as NodeJS.ErrnoException).code})`)
  }
  return path
}
