/** One intake item checked before anything is stored: parsed, validated, screened for identifiers
 * (refused, or redacted per the site's policy). Pure: the edge's intake and its benchmark share it. */

import type { Rejection } from '../../core/api.ts'
import { type ReportInput, reportInputSchema } from '../../core/reports/split.ts'
import { screenIntake } from '../../core/screen/deid.ts'

export interface IntakeItem {
  line: number
  data?: unknown
  /** The line was not JSON at all. */
  parseError?: string
}

export type { Rejection }

export type Prepared =
  | Rejection
  | { report: ReportInput; stored: ReportInput; redactedKinds: string | undefined }

/** One intake item checked: valid, and free of identifiers (or redacted, per the site's policy). Pure. */
export function prepareReport(item: IntakeItem, deidPolicy: 'reject' | 'redact'): Prepared {
  if (item.parseError) return { line: item.line, detail: item.parseError }
  const parsed = reportInputSchema.safeParse(item.data)
  if (!parsed.success) {
    const claimed = (item.data as { id?: unknown } | null)?.id
    const issue = parsed.error.issues[0]
    return {
      line: item.line,
      ...(typeof claimed === 'string' ? { report: claimed } : {}),
      detail: `${issue?.path.join('.') || 'report'}: ${issue?.message ?? 'invalid'}`,
    }
  }
  const report = parsed.data
  const verdict = screenIntake(report, deidPolicy)
  if (verdict.refused === 'id') return { line: item.line, detail: verdict.detail }
  if (verdict.refused)
    return {
      line: item.line,
      report: report.id,
      // a site can change its policy; a dropped file cannot, so the hint is the edge's
      detail: `${verdict.detail}; remove them or ask for the redact policy`,
    }
  if (verdict.redacted.length === 0) return { report, stored: report, redactedKinds: undefined }
  return {
    report,
    stored: { ...report, text: verdict.text },
    redactedKinds: verdict.redacted.join(','),
  }
}
