/**
 * The de-identification screen: finds identifiers left in a "de-identified" report (names,
 * record and national numbers, dates of birth, phones, e-mail, street addresses) and in the ids
 * and file names that come with it. It names the kind and the line, never the identifier.
 * Shared by the edge and the worker's drop folder, so both accept and refuse the same reports.
 * The text is normalised first (normalise.ts), so look-alike letters and invisible characters
 * hide nothing; the rules are in rules.ts.
 */
import { lineStartsOf, lowerBound } from '../text/scan.ts'
import { normalise, originalSpan } from './normalise.ts'
import type { IdentifierKind } from './rules.ts'
import { findIdentifiers } from './scan.ts'
import { safeByStructure } from './structure.ts'

export { type IdentifierKind, identifierKinds } from './rules.ts'

export interface Finding {
  kind: IdentifierKind
  /** 1-based line of the report. */
  line: number
  /** The identifier's span in the original text (UTF-16 offsets, end exclusive). */
  start: number
  end: number
}

/** Every identifier in the text, by position; overlapping finds of one kind are merged. */
export function screenReport(text: string): Finding[] {
  const n = normalise(text)
  const lineStarts = lineStartsOf(text)
  // codes, units and code-system addresses of a machine format are not identifiers
  const spans = safeByStructure(
    text,
    findIdentifiers(n.text).map((s) => {
      const [start, end] = originalSpan(n, s.start, s.end)
      return { kind: s.kind, start, end }
    }),
  ).sort((a, b) => a.start - b.start || b.end - a.end)
  const out: Finding[] = []
  const last = new Map<IdentifierKind, Finding>()
  let reach = -1 // the furthest end of any finding so far
  for (const s of spans) {
    // a shape inside a labelled value ("MRN: 943 476 5919" is also an NHS number) is that value
    if (s.end <= reach) continue
    reach = Math.max(reach, s.end)
    const prev = last.get(s.kind)
    if (prev && s.start < prev.end) {
      prev.end = Math.max(prev.end, s.end)
      continue
    }
    // 1-based: the number of lines starting at or before the identifier
    const f = { ...s, line: lowerBound(lineStarts, s.start + 1) }
    out.push(f)
    last.set(s.kind, f)
  }
  return out
}

const studyWords =
  /^(?:SITE\w*|CMR|MRI|CXR|CT|PET|XR|US|STUDY|REPORT|REPORTS|SCAN|EXAM|BATCH|TEST|TRIAL|COHORT|BASELINE|FOLLOWUP|VISIT|WARD|DEPT|CARDIAC|CHEST|BONE|HEART|LUNG|ONCO|RADIOLOGY|IMAGING|DATA|EXPORT|UPLOAD|DROP|FILE|PART|PHASE|ARM|GROUP|CASE|CASES|CONTROL|CONTROLS|PILOT|DEMO|SAMPLE|SAMPLES|ALPHA|BETA|GAMMA|DELTA|NORTH|SOUTH|EAST|WEST|CENTRAL|MAIN|NEW|OLD|LEFT|RIGHT|ANON|DEID|CLEAN)$/

/**
 * Identifiers in a site's own name for something (a report id, a drop file's path): the report
 * rules, with the separators names use in ids ("SMITH_JOHN", "smith.john.1950-02-01") read as
 * spaces, and a date of birth in any form a name carries.
 */
export function screenName(name: string): IdentifierKind[] {
  const kinds = new Set<IdentifierKind>()
  for (const spaced of [name.replace(/[_+]/g, ' '), name.replace(/[_+\-./]/g, ' ')])
    for (const f of screenReport(spaced)) kinds.add(f.kind)
  const plain = normalise(name).text
  if (/(?<![\p{L}])(?:dob|geb|born)[\W_]*\d/iu.test(plain)) kinds.add('date_of_birth')
  if (/(?<![\p{L}])(?:mrn|nhs|ssn|bsn)[\W_]*\d{3}/iu.test(plain)) kinds.add('record_number')
  // a name and surname joined by a separator: "Smith_John", "SMITH_JOHN", DICOM's "SMITH^JOHN";
  // capitals that are a study's words ("SITEA_CMR", "CXR_FOLLOWUP") are not a name
  if (/(?<![\p{L}])[A-Z][a-z]{2,}[_.\- ][A-Z][a-z]{2,}(?![\p{L}])/u.test(plain)) kinds.add('name')
  for (const m of plain.matchAll(/(?<![\p{L}])([A-Z]{3,})[_^]([A-Z]{3,})(?![\p{L}])/gu))
    if (m[0].includes('^') || ![m[1], m[2]].some((w) => studyWords.test(w ?? ''))) kinds.add('name')
  return [...kinds]
}

/** A message for a refused report: kinds and lines, no content. */
export function describeFindings(findings: readonly Pick<Finding, 'kind' | 'line'>[]): string {
  const seen = new Set<string>()
  const parts: string[] = []
  for (const f of [...findings].sort((a, b) => a.line - b.line)) {
    const part = `${f.kind.replaceAll('_', ' ')} on line ${f.line}`
    if (!seen.has(part)) parts.push(part)
    seen.add(part)
  }
  return parts.join(', ')
}

/** The text with each identifier replaced by a marker naming its kind (the "redact" site policy):
 * the rest of its line stays, so "Patient: John Smith  LVEF 48 %" keeps its LVEF. */
export function redactIdentifiers(text: string, findings: readonly Finding[]): string {
  let out = ''
  let at = 0
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.end <= at) continue
    out += `${text.slice(at, Math.max(at, f.start))}[${f.kind.replaceAll('_', ' ')} removed]`
    at = f.end
  }
  return out + text.slice(at)
}

/** What intake does with a report on the screen's word. */
export type ScreenVerdict =
  | { refused: 'id' | 'text'; detail: string }
  | { refused: false; text: string; redacted: IdentifierKind[] }

/**
 * The identifier decision, one for every way in (the edge's intake, the worker's drop folder): an
 * id that holds an identifier is refused under any policy (it is the site's key, never rewritten);
 * identifiers in the text refuse the report, or are replaced under the `redact` policy.
 */
export function screenIntake(
  report: { id: string; text: string },
  policy: 'reject' | 'redact',
): ScreenVerdict {
  const inId = screenName(report.id)
  if (inId.length > 0)
    return {
      refused: 'id',
      detail: `id: holds an identifier (${inId.map((k) => k.replaceAll('_', ' ')).join(', ')}); use an opaque id`,
    }
  const findings = screenReport(report.text)
  if (findings.length === 0) return { refused: false, text: report.text, redacted: [] }
  if (policy === 'reject')
    return { refused: 'text', detail: `identifiers found: ${describeFindings(findings)}` }
  return {
    refused: false,
    text: redactIdentifiers(report.text, findings),
    redacted: [...new Set(findings.map((f) => f.kind))],
  }
}
