/** One intake item checked before anything is stored: parsed, validated, screened for identifiers
 * (refused, or redacted per the site's policy). Pure: the edge's intake and its benchmark share it. */
import { type ReportInput, reportInputSchema } from '../../core/reports/split.ts'
import {
  describeFindings,
  redactIdentifiers,
  screenName,
  screenReport,
} from '../../core/screen/deid.ts'

export interface IntakeItem {
  line: number
  data?: unknown
  /** The line was not JSON at all. */
  parseError?: string
}

export interface Rejection {
  line: number
  report?: string
  detail: string
}

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
  // an id is the site's key for the report: it can be refused, never rewritten
  const inId = screenName(report.id)
  if (inId.length > 0)
    return {
      line: item.line,
      detail: `id: holds an identifier (${inId.map((k) => k.replaceAll('_', ' ')).join(', ')}); use an opaque id`,
    }
  const findings = screenReport(report.text)
  if (findings.length === 0) return { report, stored: report, redactedKinds: undefined }
  if (deidPolicy === 'reject')
    return {
      line: item.line,
      report: report.id,
      detail: `identifiers found: ${describeFindings(findings)}; remove them or ask for the redact policy`,
    }
  return {
    report,
    stored: { ...report, text: redactIdentifiers(report.text, findings) },
    redactedKinds: [...new Set(findings.map((f) => f.kind))].join(','),
  }
}
