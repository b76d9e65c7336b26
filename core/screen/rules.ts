/**
 * What the screen looks for, in the normalised text. Each rule gives the span of the identifier
 * itself (the value after "MRN:", not the label), so that redaction removes that and no more.
 * Two kinds of rule: a label and the value after it, and forms that are identifiers by shape
 * (phones, e-mail, street addresses, numbers whose check digit holds).
 */
import { isBsn, isNhsNumber, isSsn } from './checksums.ts'

export const identifierKinds = [
  'name',
  'record_number',
  'date_of_birth',
  'phone',
  'email',
  'address',
] as const
export type IdentifierKind = (typeof identifierKinds)[number]

export interface Span {
  kind: IdentifierKind
  start: number
  end: number
}

// A value that says it was removed: "[REDACTED]", "***", "XXXX", "n/a", "<removed>".
const removedMarker =
  /^[[(<{]?\s*(?:redacted|removed|anonymi[sz]ed|withheld|deleted|suppressed|not\s+(?:given|stated|recorded)|entfernt|geschw[äa]rzt|anonymis[ée]e?|supprim[ée]|verwijderd|xx+|\*+|#+|-+|_+|\.{3}|n\/?a|none|unknown)\s*[\])>}]?(?=$|[\s,;.|])/i

// "Patient: 49-year-old man", "Patient: female, 62": a description, not a name.
const description =
  /^(?:\d+\s*[-–]?\s*(?:years?|yrs?|y\b|yo\b|y\/o|j\b|jahre|jaar|ans\b|años|anni)|\d+\s*[MFmf]\b|(?:an?\s+)?(?:\d+\s*)?(?:male|female|man|woman|boy|girl|adult|child|infant|neonate|homme|femme|mann|frau\b|männlich|weiblich|vrouw|hombre|mujer|uomo|donna)\b)/i

const labelSep = String.raw`(?:[ \t]*[:：=#][ \t]*|[ \t]+[-–—][ \t]+|-[ \t]+)`

type LabelRule = {
  kind: IdentifierKind
  label: RegExp
  /** How the identifier after the label looks (anchored at its start). */
  value: RegExp
  /** "Patient - John Smith" heads a line; "the patient - who..." is prose. */
  dashAtLineStart?: boolean
}

const nameToken = String.raw`\p{L}[\p{L}'’.-]*`

const labelRules: LabelRule[] = [
  {
    kind: 'name',
    label: new RegExp(
      String.raw`(?<![\p{L}\d])(?:patient(?:'s|s)?\s*(?:full\s*)?name|pt\.?\s*name|full\s*name|name|surname|last\s*name|family\s*name|first\s*names?|given\s*names?|forenames?|patientenname|nachname|vorname|nom(?:\s+du\s+patient)?|pr[ée]nom|naam|achternaam|voornaam|nombre|apellidos?|paziente|cognome|nome|patiënt)${labelSep}`,
      'giu',
    ),
    value: new RegExp(String.raw`^${nameToken}(?:,?[ \t]?${nameToken}){0,3}`, 'u'),
  },
  {
    kind: 'name',
    // "Patient:" also opens descriptions ("Patient: cooperative"): a name there is capitalised
    label: new RegExp(
      String.raw`(?<![\p{L}\d])(?:patient|pat\.?|pt\.?|patiënt|paciente)${labelSep}`,
      'giu',
    ),
    // capitalised words that end the value: "Patient: Ht is 159 cm" goes on as prose
    value:
      /^\p{Lu}[\p{L}'’.-]*(?:,?[ \t]?\p{Lu}[\p{L}'’.-]*){0,3}(?=[ \t]*$|[ \t]*[,;.|(]|[ \t]{2,}|\t|[ \t]+\p{Lu}{2,}[ \t]*\d)/u,
    dashAtLineStart: true,
  },
  {
    kind: 'name',
    // "Re:" opens letters: a name only when what follows looks like one
    label: /(?<![\p{L}\d])re\s*:\s*/giu,
    value:
      /^(?:\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*(?:[ \t]+\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*){1,2}(?![\p{L}])|\p{Lu}{2,},[ \t]?\p{Lu}\p{L}+)/u,
  },
  {
    kind: 'record_number',
    label:
      /(?<![\p{L}\d])(?:m\.?\s?r\.?\s?n(?![\p{L}])\.?|mr\s*(?:#|no\.?|nr\.?|number)|(?:medical|health)\s+record(?:\s*(?:no\.?|number|#))?|(?:hosp(?:ital)?|patient|pt|pat|unit|ur|chart|case|record|file|client|member|insurance|health(?:\s*card)?|personal|subject|nhs|chi|bsn|ssn|social\s+security|national\s*(?:id|insurance)|medicare|kvnr|ipp)\.?\s*(?:id|no\.?|nr\.?|number|num|#)(?![\p{L}])|(?:nhs|chi|bsn|ssn|urn|ipp|kvnr|accession(?:\s*(?:no\.?|number|#))?|patientennummer|fallnummer|versichertennummer|burgerservicenummer|n°\s*(?:de\s+)?dossier|num[ée]ro\s+de\s+dossier|identifiant|patienten-?id)(?![\p{L}]))\s*(?:[:：=#.-]\s*)?/giu,
    // letters then digits, "H-99887766", "123 456 7890", with at least three digits
    value: /^(?=(?:[^\d\n]{0,6}\d){3})[A-Za-z]{0,4}[-/ ]?\d[\d ./-]*\d/u,
  },
  {
    kind: 'record_number',
    // a bare "ID:" also labels study codes ("ID: CMR-0042"): a record number has six digits or more
    label: /(?<![\p{L}\d])id\s*[:：#=]\s*/giu,
    value: /^(?=(?:[^\d\n]{0,4}\d){6})[A-Za-z]{0,4}[-/ ]?\d[\d ./-]*\d/u,
  },
  {
    kind: 'date_of_birth',
    label:
      /(?<![\p{L}\d])(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?|b\.\s?d\.|geb(?:urtsdatum|oren(?:\s+am)?|\.)|n[ée]e?\s+le|date\s+de\s+naissance|geboortedatum|geboren\s+op|fecha\s+de\s+nacimiento|nacid[oa]\s+el|data\s+di\s+nascita|nat[oa]\s+il)\s*(?:[:：=#-]\s*)?/giu,
    value:
      /^(?:\d{1,4}[./\- ]\d{1,2}[./\- ]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?[ .-]?(?:of\s+)?\p{L}{3,}\.?,?[ .-]\d{2,4}|\p{L}{3,}\.?\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{2,4}|\d{8}|(?:19|20)\d{2}\b)/u,
  },
  {
    kind: 'phone',
    label:
      /(?<![\p{L}\d])(?:tel(?:ephone)?|phone|ph|mobile|mob|cell|fax|contact(?:\s+(?:no|number))?|telefon|t[ée]l[ée]phone|t[ée]l|telefoon|tel[ée]fono)\.?\s*(?:no\.?|nr\.?|number)?\s*[:：#.]?\s*/giu,
    value: /^(?=(?:\D{0,3}\d){6})\+?[\d(][\d ()./-]*\d/u,
  },
  {
    kind: 'address',
    label:
      /(?<![\p{L}\d])(?:address|addr|home\s+address|residence|adresse|anschrift|wohnort|adres|domicile|direcci[óo]n|indirizzo)\.?\s*[:：]\s*/giu,
    value: /^[\p{L}\d][^\n]{2,80}?(?=\s{2,}|\t|;|\||$)/mu,
  },
]

const honorific =
  /(?<![\p{L}])(?:Mr|Mrs|Ms|Mx|Miss|Herr|Frau|Mme|Mlle|Dhr|Mevr|Sr|Sra|Sig|Sig\.ra)\.?[ \t]+(?:\p{Lu}\.[ \t]?)?\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?/gu
// In capitals, "MR" and "MS" are also magnetic resonance, mitral regurgitation and stenosis and
// multiple sclerosis: a name there is two words, neither of them a clinical one.
const capsHonorific =
  /(?<![\p{L}])(?:(MRS|MISS|HERR|FRAU|MME|MLLE)\.?[ \t]+\p{Lu}[\p{Lu}'’-]+(?:[ \t]+\p{Lu}[\p{Lu}'’-]+)?|(?:MR|MS)\.?[ \t]+(?:\p{Lu}\.[ \t]?(\p{Lu}[\p{Lu}'’-]+)|(\p{Lu}[\p{Lu}'’-]+)[ \t]+(\p{Lu}[\p{Lu}'’-]+)))(?![\p{L}\d])/gu
const clinicalWord =
  /GRAPH|SCOP|IMAG|SCAN|STUD|EXAM|PERFUS|CARDI|HEART|BRAIN|SPIN|PELV|ABDOM|CHEST|KNEE|SHOULDER|HIP|LIVER|PROSTAT|BREAST|NECK|HEAD|ORBIT|SEQUENC|PROTOCOL|CONTRAST|FLOW|MAPP|FINDING|REPORT|LESION|PLAQUE|DISEASE|RELAPS|PATIENT|SEVERE|MODERATE|MILD|TRACE|TRIVIAL|GRADE|REGURG|STENOS|VALV|AORT|MITRAL|TRICUSP|PULMON|PRESENT|ABSENT|NONE|ONLY|SIGNIFICANT|NOTED|SEEN|JET|LEAK|VOLUME|FRACTION|NORMAL|ACTIVE/

// Capitalised words that open a line or follow a comma in reports and are not names.
const notNames = new Set(
  `IMPRESSION FINDINGS FINDING CONCLUSION CONCLUSIONS HISTORY INDICATION INDICATIONS TECHNIQUE
  COMPARISON COMMENT COMMENTS SUMMARY REPORT RESULT RESULTS CLINICAL DIAGNOSIS OPINION
  RECOMMENDATION RECOMMENDATIONS PROCEDURE PROTOCOL SEQUENCES MEASUREMENTS VOLUMES FUNCTION
  BEFUND BEURTEILUNG ANAMNESE FRAGESTELLUNG TECHNIK CONCLUSIE BEVINDINGEN CONCLUSIONE
  RISULTATI HALLAZGOS IMPRESION RESULTATS NOTE NOTES ADDENDUM STUDY EXAM EXAMINATION
  MRI CMR LGE ECV LVEF RVEF LVOT RVOT SSFP TAPSE MAPSE PET CT BNP ECG EKG HCM DCM ARVC
  LEFT RIGHT NORMAL ABNORMAL MILD MODERATE SEVERE NONE NEGATIVE POSITIVE STABLE CHEST
  CARDIAC HEART LUNG LUNGS BONE BONES SPINE PELVIS WITH AND OF THE IN ON AT NO TO FOR`.split(/\s+/),
)

function* surnameGiven(text: string): Generator<Span> {
  // "SMITH, JOHN", "SMITH, John", "O'NEIL-JONES, Mary Ann", and DICOM's "SMITH^JOHN"
  const comma =
    /(?<![\p{L}\d])(\p{Lu}[\p{Lu}'’-]{2,40})(?:[ \t]\p{Lu}[\p{Lu}'’-]{2,40})?,[ \t]?(\p{Lu}[\p{Ll}'’-]{2,40}(?:-\p{Lu}\p{Ll}{1,40})?|\p{Lu}[\p{Lu}'’-]{2,40})(?:[ \t]\p{Lu}\p{Ll}{1,40})?(?![\p{L}])/gu
  for (const m of text.matchAll(comma)) {
    const [, surname = '', given = ''] = m
    if (notNames.has(surname) || notNames.has(given.toUpperCase())) continue
    // "XXXX, XXXX": the de-identification's placeholders, not a name
    if (/^X+$/i.test(surname) || /^X+$/i.test(given)) continue
    // both in capitals is a name only at the start of a line or after a label
    if (given === given.toUpperCase()) {
      const before = text.slice(Math.max(0, m.index - 40), m.index)
      if (!/(?:^|\n)[^\S\n]*$|[:：][^\S\n]*$|\S(?: {2,}|\t)$/.test(before)) continue
    }
    yield { kind: 'name', start: m.index, end: m.index + m[0].length }
  }
  for (const m of text.matchAll(
    /(?<![\p{L}\d])[\p{L}'’-]{2,40}\^[\p{L}'’-]{2,40}(?:\^[\p{L}'’-]{0,40}){0,3}/gu,
  ))
    yield { kind: 'name', start: m.index, end: m.index + m[0].length }
}

function* labelled(text: string): Generator<Span> {
  for (const rule of labelRules) {
    for (const m of text.matchAll(rule.label)) {
      const at = m.index + m[0].length
      if (
        rule.dashAtLineStart &&
        /[-–—]\s*$/.test(m[0]) &&
        !/(?:^|\n)[^\S\n]*$/.test(text.slice(Math.max(0, m.index - 20), m.index))
      )
        continue
      // the value stays on the label's line
      const lineEnd = text.indexOf('\n', at)
      const rest = text.slice(at, lineEnd === -1 ? undefined : lineEnd)
      if (rest.trim() === '' || removedMarker.test(rest) || description.test(rest)) continue
      const v = rule.value.exec(rest)
      if (!v) continue
      let value = v[0].replace(/[\s,.-]+$/, '')
      if (rule.kind === 'name') value = dropTrailingLabel(rest, value)
      if (value.length > 0) yield { kind: rule.kind, start: at, end: at + value.length }
    }
  }
}

/** "Patient: John Smith LVEF 48 %": the word right before a number labels it, and stays. */
function dropTrailingLabel(rest: string, value: string): string {
  const after = rest.slice(value.length)
  if (!/^\s+\d/.test(after)) return value
  const cut = value.search(/\s\S+$/)
  return cut > 0 ? value.slice(0, cut) : value
}

const phoneShapes = [
  // +44 20 7946 0958, +1 (555) 123-4567, (020) 7946 0958
  /(?<![\w.])\+\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,8}){1,3}(?![\w])/g,
  /(?<![\w.])\(\d{2,5}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\w])/g,
  // 555.123.4567, 555-123-4567, 555 123 4567
  /(?<![\w.,/])\d{3}([.\- ])\d{3}\1\d{4}(?![\w.,/]\d|\w)/g,
  // trunk-prefixed national numbers: 020 7946 0958, 06-12345678, 030/1234567
  /(?<![\w.,/])0\d{1,4}[\s./-]\d{3,4}[\s.-]?\d{3,4}(?![\w.,/]\d|\w)/g,
]

function* shaped(text: string): Generator<Span> {
  for (const re of phoneShapes)
    for (const m of text.matchAll(re)) {
      const digits = m[0].replace(/\D/g, '').length
      if (digits < 9 || digits > 15) continue
      yield { kind: 'phone', start: m.index, end: m.index + m[0].length }
    }
  // a bare 9-11 digit run: an NHS number or BSN when the check digit holds, else a phone (10-11)
  for (const m of text.matchAll(/(?<![\d.,/-])\d{3}[ -]?\d{3}[ -]?\d{3,5}(?![\d.,/-]?\d)/g)) {
    const digits = m[0].replace(/\D/g, '')
    const span = { start: m.index, end: m.index + m[0].length }
    if (isNhsNumber(digits) || (digits.length === 9 && isBsn(digits)))
      yield { kind: 'record_number', ...span }
    if (/^\d{10,11}$/.test(m[0])) yield { kind: 'phone', ...span }
  }
  for (const m of text.matchAll(/(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])/g))
    if (isSsn(m[0])) yield { kind: 'record_number', start: m.index, end: m.index + m[0].length }
  for (const m of text.matchAll(/(?<![\d.])\d{4}\.\d{2}\.\d{3}(?![\d.]?\d)/g))
    if (isBsn(m[0])) yield { kind: 'record_number', start: m.index, end: m.index + m[0].length }
  yield* emails(text)
  yield* addresses(text)
}

const at = String.raw`(?:[ \t]?@[ \t]?|\s?[([{<]\s?at\s?[)\]}>]\s?|\s?\(@\)\s?)`
const dot = String.raw`(?:\.|\s?[([{<]\s?dot\s?[)\]}>]\s?)`
const spelledDot = String.raw`(?:[ \t]dot[ \t]|\s?[([{<]\s?dot\s?[)\]}>]\s?)`
const emailShapes = [
  new RegExp(
    String.raw`[\w.+-]{1,64}${at}[\w-]{1,63}(?:${dot}[\w-]{1,63}){0,6}${dot}[a-z]{2,10}\b`,
    'gi',
  ),
  // "john dot smith at example dot com": spelled out, so both words must be there
  new RegExp(
    String.raw`[\w.+-]{1,64}(?:[ \t]dot[ \t][\w-]{1,63}){0,4}[ \t]at[ \t][\w-]{1,63}(?:${spelledDot}[\w-]{1,63}){0,6}${spelledDot}[a-z]{2,10}\b`,
    'gi',
  ),
]

// what each shape cannot match without: tested first, so a report with no "@" (nearly all of
// them) is not read letter by letter for a local part that never comes
const emailGates = [
  (t: string) => /@|[([{<]\s?at\s?[)\]}>]/i.test(t),
  (t: string) => /[ \t]at[ \t]/i.test(t) && /[ \t]dot[ \t]|[([{<]\s?dot\s?[)\]}>]/i.test(t),
]

function* emails(text: string): Generator<Span> {
  for (const [i, re] of emailShapes.entries())
    if (emailGates[i]?.(text))
      for (const m of text.matchAll(re))
        yield { kind: 'email', start: m.index, end: m.index + m[0].length }
}

const streetTypes =
  'street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|close|court|ct|place|pl|terrace|crescent|cres|square|sq|highway|hwy|parkway|pkwy|mews|grove|gardens|row|walk|hill'
const addressShapes: { re: RegExp; capitals: boolean }[] = [
  // 12 Baker Street, 221B BAKER ST., 4 Privet Drive
  {
    re: new RegExp(
      String.raw`(?<![\w.,])\d{1,5}[A-Za-z]?,?\s+(?:[\p{L}'’.-]{1,40}[ \t]+){1,3}(?:${streetTypes})\b\.?`,
      'giu',
    ),
    capitals: true,
  },
  // Hauptstraße 12, Kalverstraat 5a, Musterweg 3
  {
    re: /(?<![\p{L}])\p{Lu}[\p{L}-]{0,40}(?:straße|strasse|str\.|gasse|allee|platz|weg|straat|laan|plein|gracht|kade|singel)[ \t]+\d{1,4}[a-z]?(?![\p{L}\d])/giu,
    capitals: false,
  },
  // 12 rue de la Paix, 3 calle Mayor, 8 via Roma
  {
    re: /(?<![\w.,])\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|quai|calle|avenida|via|viale|piazza|corso)\s+(?:(?:de|du|des|la|le|l'|del|della|di)\s+)*[A-ZÀ-Ý][\p{L}'’-]+/giu,
    capitals: false,
  },
]

function* addresses(text: string): Generator<Span> {
  for (const { re, capitals } of addressShapes)
    for (const m of text.matchAll(re)) {
      // "2 segments in a way" is prose: the words of an English address are capitalised
      if (
        capitals &&
        !m[0]
          .replace(/^\d+[A-Za-z]?,?\s+/, '')
          .split(/\s+/)
          .every((w) => /^[A-Z]/.test(w))
      )
        continue
      yield { kind: 'address', start: m.index, end: m.index + m[0].length }
    }
}

/** Every identifier span in the normalised text, in no particular order. */
export function* findIdentifiers(text: string): Generator<Span> {
  yield* labelled(text)
  for (const m of text.matchAll(honorific))
    yield { kind: 'name', start: m.index, end: m.index + m[0].length }
  for (const m of text.matchAll(capsHonorific)) {
    const words = [m[2], m[3], m[4]].filter((w) => w !== undefined)
    if (!m[1] && words.some((w) => clinicalWord.test(w) || notNames.has(w))) continue
    yield { kind: 'name', start: m.index, end: m.index + m[0].length }
  }
  yield* surnameGiven(text)
  yield* shaped(text)
}
