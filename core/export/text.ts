/**
 * The text exports (FHIR bundles, the REDCap import) as a head, one piece per report and a tail:
 * the CLI writes them to a file, the edge streams them, both through this one writer.
 */
import type { Task } from '../../schemas/index.ts'
import { fhirBundleWriter, reportResources } from './fhir.ts'
import type { ExportRecord } from './record.ts'
import { redcapImport } from './redcap.ts'

export const textExportFormats = ['fhir', 'fhir-transaction', 'redcap'] as const
export type TextExportFormat = (typeof textExportFormats)[number]

export interface TextExport {
  head: string
  record(r: ExportRecord): string
  tail: string
}

/** `at`: the export's time (the bundle's timestamp, a Provenance's fallback time). */
export function textExport(task: Task, format: TextExportFormat, at: string): TextExport {
  if (format === 'redcap')
    return { head: redcapImport.header(task), record: (r) => redcapImport.row(task, r), tail: '' }
  const bundle = fhirBundleWriter(format === 'fhir' ? 'collection' : 'transaction', at)
  return {
    head: bundle.head,
    record: (r) => bundle.add(reportResources(task, r, at)),
    tail: bundle.tail,
  }
}
