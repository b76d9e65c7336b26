/**
 * A stream of result views as a download, page by page (memory stays flat however big the batch
 * or the site's history): NDJSON, CSV, FHIR R4 bundles and the REDCap import CSV, all from the
 * same views the JSON pages serve (reviewer decisions included). Parquet needs DuckDB, which does
 * not run in workerd: `radstruct results --format parquet` converts the NDJSON locally.
 */

import type { ResultView } from '../core/contracts.ts'
import { toExportRecord } from '../core/export/record.ts'
import { textExport, textExportFormats } from '../core/export/text.ts'
import type { Task } from '../schemas/task.ts'
import { csvHeader, csvRow } from './results.ts'

export const streamFormats = ['ndjson', 'csv', ...textExportFormats] as const
export type StreamFormat = (typeof streamFormats)[number]

const kinds: Record<StreamFormat, { type: string; ext: string }> = {
  ndjson: { type: 'application/x-ndjson', ext: 'ndjson' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  fhir: { type: 'application/fhir+json', ext: 'fhir.json' },
  'fhir-transaction': { type: 'application/fhir+json', ext: 'fhir.json' },
  redcap: { type: 'text/csv; charset=utf-8', ext: 'csv' },
}

/** Each format as a head, one piece per view, and a tail. */
function viewWriter(
  task: Task,
  format: StreamFormat,
): { head: string; piece: (v: ResultView) => string; tail: string } {
  if (format === 'ndjson') return { head: '', piece: (v) => `${JSON.stringify(v)}\n`, tail: '' }
  if (format === 'csv') return { head: csvHeader(task), piece: (v) => csvRow(task, v), tail: '' }
  const text = textExport(task, format, new Date().toISOString())
  return {
    head: text.head,
    piece: (v) => text.record(toExportRecord(task, v)),
    tail: text.tail,
  }
}

/** The download of every view `nextPage` yields (an empty page ends it), named `name`. */
export function streamViews(
  task: Task,
  format: StreamFormat,
  name: string,
  nextPage: () => Promise<ResultView[]>,
): Response {
  const encoder = new TextEncoder()
  const out = viewWriter(task, format)
  let started = false
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        if (out.head) controller.enqueue(encoder.encode(out.head))
      }
      const views = await nextPage()
      const chunk = views.map(out.piece).join('')
      if (chunk) controller.enqueue(encoder.encode(chunk))
      if (views.length === 0) {
        if (out.tail) controller.enqueue(encoder.encode(out.tail))
        controller.close()
      }
    },
  })
  return new Response(stream, {
    headers: {
      'content-type': kinds[format].type,
      'content-disposition': `attachment; filename="${name}.${kinds[format].ext}"`,
    },
  })
}
