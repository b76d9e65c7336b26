/**
 * Results as Parquet, for analysts: one row per report, typed columns per field (the value, its
 * confidence, whether it was flagged, who set it), written with DuckDB. Rows go through DuckDB's
 * appender into a table in a temporary database file, so memory stays flat however many reports;
 * `COPY ... TO` writes the Parquet file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBAppender, DuckDBInstance } from '@duckdb/node-api'
import type { ExportRecord } from '../../core/export/record.ts'
import type { Task } from '../../schemas/index.ts'

const q = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Column name -> SQL type, in order. */
export function parquetColumns(task: Task): [string, string][] {
  const cols: [string, string][] = [
    ['id', 'VARCHAR'],
    ['batch', 'VARCHAR'],
    ['status', 'VARCHAR'],
    ['failure', 'VARCHAR'],
    ['model', 'VARCHAR'],
  ]
  for (const f of task.fields)
    cols.push(
      [f.key, f.kind === 'number' ? 'DOUBLE' : 'VARCHAR'],
      [`${f.key}_confidence`, 'DOUBLE'],
      [`${f.key}_flagged`, 'BOOLEAN'],
      [`${f.key}_source`, 'VARCHAR'],
    )
  return cols
}

export interface ParquetWriter {
  add(r: ExportRecord): void
  /** Writes the file and frees the temporary database; returns the row count. */
  finish(): Promise<number>
}

export async function parquetWriter(task: Task, path: string): Promise<ParquetWriter> {
  const dir = mkdtempSync(join(tmpdir(), 'radstruct-parquet-'))
  const db = await DuckDBInstance.create(join(dir, 'export.duckdb'))
  const con = await db.connect()
  await con.run(
    `CREATE TABLE results (${parquetColumns(task)
      .map(([n, t]) => `${q(n)} ${t}`)
      .join(', ')})`,
  )
  const app: DuckDBAppender = await con.createAppender('results')
  const text = (v: string | undefined) =>
    v === undefined ? app.appendNull() : app.appendVarchar(v)
  const num = (v: number | null | undefined) =>
    typeof v === 'number' ? app.appendDouble(v) : app.appendNull()
  let rows = 0
  return {
    add(r) {
      text(r.id)
      text(r.batch)
      text(r.status)
      text(r.failure)
      text(r.model ? `${r.model.name}@${r.model.digest}` : undefined)
      for (const f of task.fields) {
        const x = r.fields[f.key]
        if (f.kind === 'number') num(typeof x?.value === 'number' ? x.value : null)
        else text(x?.value === null || x?.value === undefined ? undefined : String(x.value))
        num(x?.confidence)
        if (x) app.appendBoolean(x.flagged)
        else app.appendNull()
        text(x?.source)
      }
      app.endRow()
      rows++
    },
    async finish() {
      app.flushSync()
      app.closeSync()
      await con.run(
        `COPY results TO '${path.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`,
      )
      con.closeSync()
      db.closeSync()
      rmSync(dir, { recursive: true, force: true })
      return rows
    },
  }
}
