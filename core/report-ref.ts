/**
 * One report's identity, the same whichever way it came in (an upload, a webhook extraction, a
 * dropped file): the site, the edge's batch and report ids, and the site's own id for it; and the
 * key its result is stored under, derived from the edge's ids alone.
 */
import { z } from 'zod'
import { contentHash } from './content-hash.ts'

export const reportRefSchema = z
  .object({
    /** The site, as the edge knows it. */
    site: z.string().min(1),
    /** The edge's batch id: bat_... for an upload or extraction, drp_... for a dropped file. */
    batch: z.string().min(1),
    /** The edge's report id, rpt_...: unique however the site names its reports. */
    report: z.string().min(1),
    /** The site's own id for the report. */
    siteReportId: z.string().min(1),
  })
  .strict()
export type ReportRef = z.infer<typeof reportRefSchema>

/** Where a report's result is stored, site/batch/report.json: deterministic, so a redelivered
 * report overwrites its one result. The worker writes there and the edge looks there. */
export function resultKey(ref: Pick<ReportRef, 'site' | 'batch' | 'report'>): string {
  const part = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_')
  return `${part(ref.site)}/${part(ref.batch)}/${part(ref.report)}.json`
}

/** The edge's batch id of a dropped file, from the site and the file's name: stable, so the same
 * file dropped again (or its notification redelivered) is the same batch. */
export const dropBatchId = (site: string, name: string) =>
  `drp_${contentHash(`${site}/${name}`).slice(0, 24)}`
