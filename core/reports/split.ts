/**
 * Splits an uploaded or dropped file into reports: NDJSON (one report per line), JSON (one report
 * or an array), or plain text (the whole file is one report, named after the file). Shared by the
 * edge, the drop folder and `radstruct extract`. Errors name the file and line, never the text.
 */
import { z } from 'zod'

/** The longest report text accepted: a report, not a record of many. */
export const maxReportChars = 200_000

export const reportInputSchema = z
  .object({
    /** The site's own id for the report (letters, digits, . _ -). */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an id of letters, digits, . _ - (at most 128)'),
    text: z
      .string()
      .min(1, 'the report text is empty')
      .max(maxReportChars, {
        error: (issue) =>
          `the report text is ${typeof issue.input === 'string' ? issue.input.length.toLocaleString('en-US') : 'more than'} characters, over the limit of 200,000: split it into its reports (one per exam), or send the findings and conclusion only`,
      }),
    sex: z.enum(['male', 'female']).optional(),
    age: z.number().int().min(0).max(130).optional(),
    height: z.number().positive().optional(),
    weight: z.number().positive().optional(),
  })
  .strict()
export type ReportInput = z.infer<typeof reportInputSchema>

export interface SplitError {
  file: string
  /** 1-based line for NDJSON, index for JSON arrays (as "item N"), or undefined. */
  where?: string
  message: string
}

export interface SplitResult {
  reports: ReportInput[]
  errors: SplitError[]
}

function check(data: unknown, file: string, where: string | undefined, out: SplitResult): void {
  const parsed = reportInputSchema.safeParse(data)
  if (parsed.success) {
    out.reports.push(parsed.data)
    return
  }
  const id =
    typeof data === 'object' && data !== null && typeof (data as { id?: unknown }).id === 'string'
      ? ` (report ${(data as { id: string }).id})`
      : ''
  for (const i of parsed.error.issues) {
    out.errors.push({
      file,
      ...(where ? { where } : {}),
      message: `${i.path.join('.') || 'report'}${id}: ${i.message}`,
    })
  }
}

/** A report id from a file name: "reports/001.txt" -> "001". */
export function idFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file
  return base.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '_') || 'report'
}

export function splitReports(file: string, content: string): SplitResult {
  const out: SplitResult = { reports: [], errors: [] }
  const lower = file.toLowerCase()
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) {
    content.split('\n').forEach((line, i) => {
      if (line.trim() === '') return
      let data: unknown
      try {
        data = JSON.parse(line)
      } catch {
        out.errors.push({ file, where: `line ${i + 1}`, message: 'not valid JSON' })
        return
      }
      check(data, file, `line ${i + 1}`, out)
    })
  } else if (lower.endsWith('.json')) {
    let data: unknown
    try {
      data = JSON.parse(content)
    } catch {
      out.errors.push({ file, message: 'not valid JSON' })
      return out
    }
    if (Array.isArray(data)) {
      for (const [i, d] of data.entries()) check(d, file, `item ${i + 1}`, out)
    } else check(data, file, undefined, out)
  } else {
    check({ id: idFromFileName(file), text: content }, file, undefined, out)
  }
  const seen = new Set<string>()
  for (const r of out.reports) {
    if (seen.has(r.id))
      out.errors.push({ file, message: `report id '${r.id}' appears more than once` })
    seen.add(r.id)
  }
  return out
}
