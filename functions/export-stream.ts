/**
 * A stream of result views as a download, page by page (memory stays flat however big the batch
 * or the site's history): NDJSON, CSV, FHIR R4 bundles and the REDCap import CSV, all from the
 * same views the JSON pages serve (reviewer decisions included). Parquet needs DuckDB, which does
 * not run in workerd: `radstruct results --format parquet` converts the NDJSON locally.
 */
import { fhirBundle, reportResources } from '../core/export/fhir.ts'
import { toExportRecord } from '../core/export/record.ts'
import { redcapImport } from '../core/export/redcap.ts'
import type { Task } from '../schemas/task.ts'
import { csvHeader, csvRow, type ReportView } from './results.ts'

export const streamFormats = ['ndjson', 'csv', 'fhir', 'fhir-transaction', 'redcap'] as const
export type StreamFormat = (typeof streamFormats)[number]

const kinds: Record<StreamFormat, { type: string; ext: string }> = {
  ndjson: { type: 'application/x-ndjson', ext: 'ndjson' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  fhir: { type: 'application/fhir+json', ext: 'fhir.json' },
  'fhir-transaction': { type: 'application/fhir+json', ext: 'fhir.json' },
  redcap: { type: 'text/csv; charset=utf-8', ext: 'csv' },
}

/** The download of every view `nextPage` yields (an empty page ends it), named `name`. */
export function streamViews(
  task: Task,
  format: StreamFormat,
  name: string,
  nextPage: () => Promise<ReportView[]>,
): Response {
  const encoder = new TextEncoder()
  const at = new Date().toISOString()
  const bundle = format === 'fhir' ? 'collection' : 'transaction'
  const fhir = format === 'fhir' || format === 'fhir-transaction'
  let started = false
  let first = true
  const body = (v: ReportView): string => {
    if (format === 'ndjson') return `${JSON.stringify(v)}\n`
    if (format === 'csv') return csvRow(task, v)
    const r = toExportRecord(task, v, `report ${v.id}`)
    if (format === 'redcap') return redcapImport.row(task, r)
    const resources = reportResources(task, r, at)
    if (resources.length === 0) return ''
    const s = fhirBundle.entries(resources, bundle, first)
    first = false
    return s
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        const head =
          format === 'csv'
            ? csvHeader(task)
            : format === 'redcap'
              ? redcapImport.header(task)
              : fhir
                ? fhirBundle.open(bundle, at)
                : ''
        if (head) controller.enqueue(encoder.encode(head))
      }
      const views = await nextPage()
      const chunk = views.map(body).join('')
      if (chunk) controller.enqueue(encoder.encode(chunk))
      if (views.length === 0) {
        if (fhir) controller.enqueue(encoder.encode(fhirBundle.close()))
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
