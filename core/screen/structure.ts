/**
 * What the structure of a machine format shows to be safe, so the screen does not read codes as
 * identifiers. In an HL7 v2 message, components joined by the component separator ("HT^Height^LN",
 * "cm^centimeter^UCUM") are a person's name only in the fields that hold people (XPN and XCN:
 * PID-5, NK1-2, PV1-7, OBR-16, ...); in coded fields (OBX-3, OBX-6, OBR-4) nothing is an
 * identifier, and elsewhere a caret-joined "name" is a code's components. A URL whose host is a
 * terminology or standards body (LOINC, SNOMED, UCUM, HL7, DICOM, W3C) or reserved for examples,
 * or that is an XML namespace, names a vocabulary, not a person. A bundle-internal reference
 * ("urn:uuid:" in a FHIR fullUrl or reference) names a resource of the export; a code beside its
 * coding system, and a system's OID, name concepts; the message header's time, control id and
 * charset are the message's. Everything else the screen finds stays found.
 */
import { looksLikeHl7 } from '../decode/hl7.ts'
import type { IdentifierKind } from './rules.ts'

interface Span {
  kind: IdentifierKind
  start: number
  end: number
}

/** HL7 v2 fields that hold people's names (XPN and XCN), by segment and field number. */
const personFields: Record<string, readonly number[]> = {
  PID: [5, 6, 9],
  PD1: [4],
  NK1: [2, 30],
  GT1: [3, 6],
  IN1: [16],
  IN2: [7],
  PV1: [7, 8, 9, 17, 52],
  PV2: [13],
  ORC: [10, 11, 12, 19],
  OBR: [10, 16, 28, 32, 33, 34, 35],
  STF: [3],
  PRD: [2],
  CTD: [2],
  MRG: [7],
}
/** Coded fields (CE/CWE: code^text^system): codes and units, never an identifier. */
const codedFields: Record<string, readonly number[]> = {
  OBX: [3, 6],
  OBR: [4],
  // the message header: its time, type, control id, version and charset are the message's
  MSH: [7, 9, 10, 12, 18],
}

/** Hosts of code systems and standards, never of a person. */
const standardHosts =
  /^(?:[\w-]+\.)*(?:loinc\.org|snomed\.info|unitsofmeasure\.org|hl7\.org|fhir\.org|nema\.org|w3\.org|ihe\.net|who\.int|nih\.gov|purl\.org|xmlsoap\.org|xmlns\.com|openehr\.org|schema\.org|iso\.org|radlex\.org|rsna\.org|acr\.org)$/i
/** Hosts reserved for examples (RFC 2606): no one's. */
const reservedHost = /(?:^|\.)(?:example|test|invalid|localhost)$|^example\.(?:com|org|net)$/i

/** The segment id and field number of the position `at` (segments end at CR or LF). */
function fieldAt(text: string, at: number, sep: string): { segment: string; field: number } {
  let s = at
  while (s > 0 && text[s - 1] !== '\r' && text[s - 1] !== '\n') s--
  let field = 0
  for (let i = s + 3; i < at; i++) if (text[i] === sep) field++
  const segment = text.slice(s, s + 3)
  // MSH-1 is the separator itself: MSH's fields count one more
  return { segment, field: segment === 'MSH' ? field + 1 : field }
}

export function safeByStructure<S extends Span>(text: string, spans: readonly S[]): S[] {
  const hl7 = looksLikeHl7(text)
  const sep = hl7 ? (/MSH(.)/.exec(text)?.[1] ?? '|') : ''
  return spans.filter((s) => {
    const found = text.slice(s.start, s.end)
    // a name made of placeholders alone ("XXXXX^XXXXX", "[REDACTED]^XXXX") was redacted already
    if (s.kind === 'name' && /^(?:X{2,}|\[?REDACTED\]?|\*{2,}|[\s^~&|,.])+$/i.test(found))
      return false
    if (hl7) {
      const { segment, field } = fieldAt(text, s.start, sep)
      if (codedFields[segment]?.includes(field)) return false
      // a caret-joined "name" outside the fields that hold people is a code's components
      if (s.kind === 'name' && !personFields[segment]?.includes(field) && !/\s/.test(found))
        return false
    }
    if (s.kind === 'url') {
      const host = /^(?:[a-z][\w+.-]*:\/\/)?(?:www\.)?([^/:?#\s"'<>]+)/i.exec(found)?.[1] ?? ''
      if (standardHosts.test(host) || reservedHost.test(host)) return false
      // an XML namespace is the name of a vocabulary, not an address anyone visits
      if (/xmlns(?::[\w.-]+)?\s*=\s*["']$/.test(text.slice(Math.max(0, s.start - 40), s.start)))
        return false
    }
    // FHIR and other JSON codings: a code beside the system that defines it ("system":
    // "http://snomed.info/sct", "code": "233873004"), and the system's own OID, name concepts
    const before = text.slice(Math.max(0, s.start - 200), s.start)
    if (
      /"code"\s*:\s*"?$/.test(before) &&
      /"system"\s*:\s*"(?:https?:|urn:oid:)[^"]*"\s*,\s*"code"\s*:\s*"?$/.test(before)
    )
      return false
    if (
      /urn:(?:oid:[\d.]*)?$/.test(before) &&
      /^(?:urn:)?(?:oid:)?[\d.]+$|^(?:urn:)?oid:/.test(found)
    )
      return false
    if (s.kind === 'record_number' && /^(?:urn:)?uuid:[\w-]+$/i.test(found)) {
      // "fullUrl": "urn:uuid:..." and "reference": "urn:uuid:..." tie the bundle's entries together
      const before = text.slice(Math.max(0, s.start - 40), s.start)
      if (/"(?:fullUrl|reference|id)"\s*:\s*"(?:urn:)?$/.test(before)) return false
    }
    return true
  })
}
