/**
 * Exports streamed from the edge, page by page (memory stays flat however big the batch or the
 * site's history): FHIR R4 bundles and the REDCap import CSV, from the same result views the
 * JSON and CSV routes serve (reviewer decisions included). Parquet needs DuckDB, which does not
 * run in workerd: `radstruct results --format parquet` converts this stream's NDJSON locally.
 */
import { fhirBundle, reportResources } from '../core/export/fhir.ts'
import { toExportRecord } from '../core/export/record.ts'
import { redcapImport } from '../core/export/redcap.ts'
import type { Task } from '../schemas/task.ts'
import type { ReportView } from './results.ts'

export const edgeExportFormats = ['fhir', 'fhir-transaction', 'redcap'] as const
export type EdgeExportFormat = (typeof edgeExportFormats)[number]

export const exportContentType = (f: EdgeExportFormat) =>
  f === 'redcap' ? 'text/csv; charset=utf-8' : 'application/fhir+json'

/** `nextPage` returns the next views, or an empty array at the end. */
export function exportStream(
  task: Task,
  format: EdgeExportFormat,
  nextPage: () => Promise<ReportView[]>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const at = new Date().toISOString()
  const type = format === 'fhir' ? 'collection' : 'transaction'
  let started = false
  let first = true
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(
          encoder.encode(
            format === 'redcap' ? redcapImport.header(task) : fhirBundle.open(type, at),
          ),
        )
      }
      const views = await nextPage()
      let chunk = ''
      for (const v of views) {
        const r = toExportRecord(task, v, `report ${v.id}`)
        if (format === 'redcap') chunk += redcapImport.row(task, r)
        else {
          const resources = reportResources(task, r, at)
          if (resources.length) {
            chunk += fhirBundle.entries(resources, type, first)
            first = false
          }
        }
      }
      if (chunk) controller.enqueue(encoder.encode(chunk))
      if (views.length === 0) {
        if (format !== 'redcap') controller.enqueue(encoder.encode(fhirBundle.close()))
        controller.close()
      }
    },
  })
}
