/**
 * The de-identification screen: finds identifiers left in a "de-identified" report (names after
 * Name:/Patient: labels, record numbers, dates of birth, phone numbers, e-mail addresses, street
 * addresses). It names the kind and the line, never the identifier. Shared by the edge and the
 * worker's drop folder, so that both accept and refuse the same reports.
 */

import { lineStartsOf, lowerBound } from '../text/scan.ts'

export const identifierKinds = [
  'name',
  'record_number',
  'date_of_birth',
  'phone',
  'email',
  'address',
] as const
export type IdentifierKind = (typeof identifierKinds)[number]

export interface Finding {
  kind: IdentifierKind
  /** 1-based line of the report. */
  line: number
}

const redacted =
  /^\s*(?:\[?\s*(?:redacted|removed|anonymi[sz]ed|withheld|xxx+|\*+|-+|n\/?a)\s*\]?)?\s*(?:$|\s{2,}|\t)/i

const rules: { kind: IdentifierKind; re: RegExp; valueCheck?: boolean }[] = [
  // a label followed by something other than a redaction marker
  {
    kind: 'name',
    re: /\b(?:patient(?:'s)?\s+name|patient|name|re)\s*:\s*(?=\S)/gi,
    valueCheck: true,
  },
  {
    kind: 'record_number',
    re: /\b(?:mrn|nhs\s*(?:no|number)|medical record(?:\s*(?:no|number))?|patient\s*id|hospital\s*(?:no|number)|record\s*(?:no|number))\s*[:#]?\s*(?=\S)/gi,
    valueCheck: true,
  },
  {
    kind: 'date_of_birth',
    re: /\b(?:dob|d\.o\.b\.|date of birth|born(?: on)?)\s*[:#]?\s*(?=\S)/gi,
    valueCheck: true,
  },
  {
    kind: 'phone',
    re: /(?<![\d.])(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,5}\)[\s-]?|\d{2,5}[\s-])\d{3,4}[\s-]\d{3,4}(?![\d.])/g,
  },
  { kind: 'email', re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  {
    kind: 'address',
    re: /\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Close|Court|Ct)\b\.?/g,
  },
]

/** Every identifier-like thing in the text, by kind and line (deduplicated). */
export function screenReport(text: string): Finding[] {
  const lineStarts = lineStartsOf(text)
  // 1-based: the number of lines starting at or before pos
  const lineOf = (pos: number) => lowerBound(lineStarts, pos + 1)
  const seen = new Set<string>()
  const out: Finding[] = []
  for (const rule of rules) {
    for (const m of text.matchAll(rule.re)) {
      const after = m.index + m[0].length
      // "Patient: [REDACTED]" is fine; "Re: 49-year-old man" is a description, not a name
      if (
        rule.valueCheck &&
        (redacted.test(text.slice(after, after + 24)) ||
          /^\d+[\s-]*(?:year|y\b|yo\b)/i.test(text.slice(after, after + 12)) ||
          /^\[?redacted/i.test(text.slice(after)))
      )
        continue
      const line = lineOf(m.index)
      const key = `${rule.kind}:${line}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ kind: rule.kind, line })
    }
  }
  return out.sort((a, b) => a.line - b.line)
}

/** A message for a refused report: kinds and lines, no content. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.kind.replace('_', ' ')} on line ${f.line}`).join(', ')
}

/** The text with every line that holds an identifier replaced by a marker naming its kind (the
 * "redact" site policy, for reports whose header carries what the body does not need). */
export function redactLines(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text
  const byLine = new Map<number, string[]>()
  for (const f of findings) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f.kind])
  return text
    .split('\n')
    .map((l, i) => {
      const kinds = byLine.get(i + 1)
      return kinds ? `[line removed: ${kinds.join(', ')}]` : l
    })
    .join('\n')
}
