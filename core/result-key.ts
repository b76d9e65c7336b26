/** Where a report's result is stored, site/batch/report.json: deterministic, so a redelivered
 * report overwrites its one result. The worker writes there and the edge looks there. */
export function resultKey(job: { site: string; batch: string; reportId: string }): string {
  const part = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_')
  return `${part(job.site)}/${part(job.batch)}/${part(job.reportId)}.json`
}
