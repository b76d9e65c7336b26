/**
 * How the screen reads an identifier where the scan (scan.ts) found one may start: the value
 * after a label (a name, a date, a code with digits), a name by its context (a title, an age, the
 * report's first line), a street by its house number, and the shapes that are identifiers without
 * a label (phones, national numbers with their check digits, e-mail, postcodes, "SURNAME, Given").
 * Every span is the identifier itself (the value after "MRN:", not the label), so that
 * redaction removes that and no more.
 */
import {
  isBsn,
  isCpf,
  isDniOrNie,
  isIban,
  isNhsNumber,
  isNir,
  isPersonnummer,
  isPesel,
  isSsn,
} from './checksums.ts'
import { ambiguousHonorifics, type LabelRole, reportWords, streetSuffixes } from './lexicon.ts'

/** The HIPAA Safe Harbor kinds a text can carry (photographs and biometrics are not text). */
export const identifierKinds = [
  'name',
  'date_of_birth',
  'date',
  'address',
  'phone',
  'email',
  'url',
  'ip_address',
  'national_id',
  'record_number',
  'health_plan_id',
  'account_number',
  'license_number',
  'vehicle_id',
  'device_id',
  // Safe Harbor keeps ages up to 89; 90 and over are one group ("90 or older")
  'age_over_89',
] as const
export type IdentifierKind = (typeof identifierKinds)[number]

export interface Span {
  kind: IdentifierKind
  start: number
  end: number
}

// ---------------------------------------------------------------------------------------------
// reading what a label announces

const personalUrl = /\d|[?=@~]|patient|\/(?:pt|user|users|u|id|mrn|record|chart|profile)\b/i

// A value that says it was removed: "[REDACTED]", "***", "XXXX", "n/a", "<removed>".
const removedMarker =
  /[[(<{]?\s*(?:redacted|removed|anonymi[sz]ed|withheld|deleted|suppressed|not\s+(?:given|stated|recorded|available)|entfernt|geschw[äa]rzt|anonymis[ée]e?|supprim[ée]|verwijderd|xx+|\*+|#+|-+|_+|\.{3}|n\/?a|none|unknown|anonymous|anon\.?|not\s+provided|on\s+file|see\s+(?:above|below)|[[<]\s*(?:name|date|id|mrn|dob|address|phone)\s*[\]>])\s*[\])>}]?(?=$|[\s,;.|])/iy

// "Patient: 62 yo f", "Patient: female, 62", "(M/45)": a description, read past to a name
const description =
  /(?:(?:\d{1,3}\s*[-–]?\s*(?:years?(?:[\s-]old)?|yrs?\.?|y\.?o\.?|y\/o|y(?![\p{L}])|j\.?(?![\p{L}])|jahre|j[äa]hrige[rn]?|jaar|ans|a[ñn]os|anni|anos|[åa]r|lat|l\.)|(?:an?\s+)?(?:male|female|man|woman|boy|girl|adult|child|infant|m[äa]nnlich|weiblich|homme|femme|hombre|mujer|var[óo]n|uomo|donna|vrouw|kvinna|mężczyzna|kobieta|masculino|feminino|femenino|maschio|femmina)(?![\p{L}])|[mfwhvk](?![\p{L}.])|\d{1,3}\s*\/\s*[mfw](?![\p{L}])|[mfw]\s*\/\s*\d{1,3}|\d{1,3}(?=\s*[,;(|]))[\s,;/()|-]*)+/iuy

// a label's separator: "MRN: ", "Name - ", "Pat.-Nr.", "DOB=", "Patient ID (MRN) #"
// (dot leaders of vendor exports: "MRN........: 123"; joined labels: "Name/Age/Sex:", "DOB/Age:")
const separator =
  /[ \t]*(?:[.·_]{2,}[ \t]*)?(?:\/[ \t]?[A-Za-z.]{1,12}){0,3}[ \t]*(?:\([^)\n]{1,15}\)[ \t]*)?(?:[ \t]*(?:[:：=#|]|[-–—](?=[ \t]|\d)|\.(?=[ \t]))){0,2}[ \t]*/y
// "no" only as a word: "NO39 QFK" is a number plate, not "No. 39"
const numberWord =
  /(?:(?:no|nr)(?:\.|(?![A-Za-z\d]))|number(?![A-Za-z])|num[ée]ro(?![A-Za-z])|n[°º]\.?|n\.(?=[ \t]*\d)|#)[ \t]*[:：=#]?[ \t]*/iy

const nameToken = String.raw`(?:\p{Lu}\.|\p{Lu}[\p{L}'’-]*(?![\d]))`
const particle = '(?:van|der|den|de|la|le|von|zu|di|da|dos|das|del|della|du|ten|ter|bin|al|el)'
const capitalName = new RegExp(
  String.raw`(?:${particle}[ \t])*${nameToken}(?:,?[ \t]${particle})*(?:,?[ \t]?${nameToken}(?:[ \t]${particle})*){0,3}`,
  'uy',
)
const anyName = /\p{L}[\p{L}'’-]*(?:,?[ \t]?\p{L}[\p{L}'’-]*){0,3}/uy

// lower-case words that carry on a sentence: not a name after "Patient:"
const proseWord =
  /^(?:with|without|for|and|or|of|the|a|an|is|was|has|had|who|which|in|on|at|to|from|by|no|not|known|history|presenting|presents|referred|underwent|tolerated|cooperative|unable|able|breath|well|poorly|here|seen|scanned|status|post|mit|und|ist|war|avec|et|est|con|met|och|med|är|jest|com)$/i
// "Patient | tiago santos |": two or three lower-case words filling the field
const lowerPair =
  /^\p{Ll}[\p{Ll}'’-]+(?:[ \t]\p{Ll}[\p{Ll}'’-]+){1,3}[ \t]*(?:$|\||[ \t]{2,}|\t|[.,;](?:[ \t]|$))/u
// lower-case words with the endings of adjectives, participles and nouns of state
const proseEnding = /(?:ed|ing|ion|ment|ness|ity|ous|ive|al|ly|able|ible|ent|ant)$/i

const dateValue =
  /(?:\d{1,4}[./\- ]\d{1,2}[./\- ]\d{2,4}|\d{1,2}(?:st|nd|rd|th|er|\.)?[ .-]?(?:of\s+|de\s+)?\p{L}{3,}\.?,?[ .-]\d{2,4}|\p{L}{3,}\.?\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{2,4}|(?:19|20)\d{6}|\d{8}(?!\d))/uy
// "am", "le", "il", and a place of birth before them: "nata a Roma il", "né à Lyon le"
const dateLink =
  /(?:(?:a|à|in|en|em|w|i|te)[ \t]+\p{Lu}[\p{L}'’-]+,?[ \t]+)?(?:(?:am|on|le|il|el|em|a|den|op|dnia|the)[ \t]+)?(?=\d)/iuy
const yearValue = /(?:in\s+)?(?:19|20)\d{2}(?!\d)/y
const range = /^\d{1,4}(?:[.,]\d+)?[ \t]*[-–][ \t]*\d{1,4}(?:[.,]\d+)?$/
const fullDate =
  /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[./]\d{4}|(?:19|20)\d{2})$/

// a code after a label: letters and digits, joined by dashes, dots, slashes or single spaces
// (a device identifier's GS1 fields are numbered in parentheses: "(01)00643169007222(17)240101")
const codeValue =
  /(?:\(\d{2,4}\))?(?:[A-Za-z]{1,8}[-/.: ]?){0,2}[A-Za-z0-9]*\d[A-Za-z0-9]*(?:(?:[-./]|\(\d{2,4}\)|[ ](?=[A-Za-z]{0,3}\d))[A-Za-z0-9]+)*/y
const phoneValue = /(?=(?:\D{0,3}\d){6})\+?[\d(][\d ()./-]*\d/y
const minDigits: Partial<Record<LabelRole, number>> = {
  record_number: 3,
  national_id: 4,
  health_plan_id: 3,
  account_number: 4,
  license_number: 3,
  vehicle_id: 1,
  device_id: 3,
  weak_id: 5,
  postcode: 2,
}
const roleKind: Record<LabelRole, IdentifierKind> = {
  name: 'name',
  patient: 'name',
  honorific: 'name',
  age: 'name',
  birth: 'date_of_birth',
  event: 'date',
  record_number: 'record_number',
  weak_id: 'record_number',
  national_id: 'national_id',
  health_plan_id: 'health_plan_id',
  account_number: 'account_number',
  license_number: 'license_number',
  vehicle_id: 'vehicle_id',
  device_id: 'device_id',
  phone: 'phone',
  email: 'email',
  url: 'url',
  address: 'address',
  postcode: 'address',
  pobox: 'address',
  street: 'address',
  street_prefix: 'address',
  flat: 'address',
}

/** The text of `text` from `at` to the end of its line (at most 160 characters). */
function restOfLine(text: string, at: number): string {
  const nl = text.indexOf('\n', at)
  const end = nl === -1 ? text.length : nl
  return text.slice(at, Math.min(end, at + 160))
}

function lineBefore(text: string, at: number, max = 80): string {
  const nl = text.lastIndexOf('\n', at - 1)
  return text.slice(Math.max(nl + 1, at - max), at)
}

const sticky = (re: RegExp, s: string, at: number): RegExpExecArray | null => {
  re.lastIndex = at
  return re.exec(s)
}

const isReportWord = (w: string) => reportWords.has(w.toLowerCase().replace(/[.,'’]+$/, ''))

// "Frau Dr. Müller" is a clinician, not a patient
const clinician = /^(?:dr|dra|drs|prof|dott|doc|doctor|doktor|docteur|pr|med)\.?$/i

/** The length of a name starting at `at` of `rest` (0: none): capitalised words that are not
 * the report's own words; `lower` also takes lower-case words that do not carry a sentence on.
 * `titled`: a title or a name label stands before it, so a surname that is also an eponym or a
 * report word ("Mrs Baker", "Name: Wells") is still a name; only clinical terms are refused. */
function readName(rest: string, at: number, lower: boolean, prose = true, titled = false): number {
  const m = sticky(capitalName, rest, at) ?? (lower ? sticky(anyName, rest, at) : null)
  if (!m) return 0
  let value = m[0].replace(/[\s,.-]+$/, '')
  let words = value.split(/[\s,]+/).filter(Boolean)
  // "mrs hale attended": a lower-case name ends where the sentence goes on
  if (prose && !/\p{Lu}/u.test(value[0] ?? '')) {
    const end = words.findIndex((w) => proseWord.test(w) || proseEnding.test(w))
    if (end === 0) return 0
    if (end > 0) {
      words = words.slice(0, end)
      value = value.slice(
        0,
        value.indexOf(words[end - 1] as string) + (words[end - 1] as string).length,
      )
    }
  }
  // "Patient: John Smith LVEF 48 %": the word right before a number labels it, and stays
  if (/^\s+\d/.test(rest.slice(at + value.length)) && words.length > 1) {
    words.pop()
    value = value.slice(0, value.search(/\s\S+$/))
  }
  const first = words[0] ?? ''
  const word = words.find((w) => !/^\p{L}\.$/u.test(w)) ?? ''
  if (!first || /^X+$/i.test(first)) return 0
  if (titled ? hasClinicalTerm(value) || clinician.test(first) : isReportWord(word)) return 0
  if (words.some((w) => w.length > 1 && proseWord.test(w))) return 0
  return value.length
}

/** Reads what a label announces; the identifier's span, or nothing. */
export function readLabelled(
  text: string,
  role: LabelRole,
  label: string,
  start: number,
  end: number,
) {
  const kind = roleKind[role]
  const span = (a: number, b: number): Span | undefined =>
    b > a ? { kind, start: a, end: b } : undefined
  switch (role) {
    case 'street':
      return street(text, label, start, end)
    case 'street_prefix':
      return streetAfter(text, label, start, end)
    case 'flat':
      return flat(text, start, end)
    case 'honorific':
      return honorific(text, label, start, end)
    case 'age':
      return nameBesideAge(text, start, end)
    case 'url': {
      const v = sticky(/[^\s<>"')\]]+/y, text, end)?.[0].replace(/[.,;:]+$/, '')
      // an address that can point at a person: a number, a query, a user, a patient's page
      // ("https://portal.clinic.org/patient/123456"); a guideline's page is no identifier
      if (!v || v.length < 3 || !personalUrl.test(v)) return
      return span(start, end + v.length)
    }
    default:
      break
  }
  const rest = restOfLine(text, end)
  let at = sticky(separator, rest, 0)?.[0].length ?? 0
  const sep = rest.slice(0, at)
  // "the patient - who ...": a dash opens a value only at the start of a line
  if (
    role === 'patient' &&
    /[-–—]/.test(sep) &&
    !/(?:^|\n)[^\S\n]*$/.test(lineBefore(text, start, 20))
  )
    return
  if (role !== 'name' && role !== 'patient') at += sticky(numberWord, rest, at)?.[0].length ?? 0
  if (at >= rest.length || sticky(removedMarker, rest, at)) return
  // the value's span in `rest`, then in the text
  const value = ((): [number, number] | undefined => {
    switch (role) {
      case 'name':
      case 'patient':
        return nameValue(rest, at, sep, role, label)
      case 'birth':
      case 'event':
        return dateAfter(rest, at, role, label)
      case 'phone': {
        const v = sticky(phoneValue, rest, at)
        return v ? [at, at + v[0].length] : undefined
      }
      case 'email': {
        const found = emailsIn(rest, 0, rest.length).find((e) => e.start <= at + 2)
        return found ? [found.start, found.end] : undefined
      }
      case 'address': {
        // the rest of the field: a house number or a capitalised place, not "lives at home"
        const m = sticky(/[\p{L}\d][^\n]{2,80}?(?=\s{2,}|\t|;|\||$)/uy, rest, at)
        return m && /\d|^\p{Lu}/u.test(m[0]) ? [at, at + m[0].length] : undefined
      }
      case 'pobox': {
        // lower-case "box" is a word; "Box 12" and "PO Box" are not; the box is part of the address
        if (/^box$/.test(label)) return
        const m = sticky(/\d{1,6}(?:[ -]\d{1,4})?/y, rest, at)
        return m ? [start - end, at + m[0].length] : undefined
      }
      default:
        return codeAfter(rest, at, role as LabelRole)
    }
  })()
  return value ? span(end + value[0], end + value[1]) : undefined
}

/** A name after a name or patient label, past an age and sex description. */
function nameValue(
  rest: string,
  at: number,
  sep: string,
  role: 'name' | 'patient',
  label: string,
): [number, number] | undefined {
  if (role === 'patient' && !/[:：=#|-]/.test(sep)) return
  if (/^re$/i.test(label)) {
    // "Re:" opens letters: a name only when what follows looks like one
    if (!reName.test(rest.slice(at))) return
    const n = readName(rest, at, false)
    return n ? [at, at + n] : undefined
  }
  const desc = sticky(description, rest, at)?.[0].length ?? 0
  const n =
    role === 'name'
      ? readName(rest, at + desc, sep.trim() !== '', false, sep.trim() !== '')
      : readName(rest, at + desc, desc > 0 || lowerPair.test(rest.slice(at)))
  if (!n) return
  // a patient's capitalised words end the field: "Patient: Ht is 159 cm" goes on as prose
  if (role === 'patient' && desc === 0) {
    const after = rest.slice(at + n)
    if (!/^(?:[ \t]*$|[ \t]*[,;.|(*]|[ \t]{2,}|\t|[ \t]+\p{Lu}{2,}[ \t]*\d)/u.test(after)) return
  }
  return [at + desc, at + desc + n]
}
const reName =
  /^(?:\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*(?:[ \t]+\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*){1,2}(?![\p{L}])|\p{Lu}{2,},[ \t]?\p{Lu}\p{L}+)/u

/** A full date after a birth or event label ("geb. am 12.03.1961"); a year after a birth label. */
function dateAfter(
  rest: string,
  at: number,
  role: 'birth' | 'event',
  label: string,
): [number, number] | undefined {
  // "geb. am", "né le", "nato il", "nascido a", "född den", "born on"
  const from = at + (sticky(dateLink, rest, at)?.[0].length ?? 0)
  const d = sticky(dateValue, rest, from)
  if (d) return [from, from + d[0].replace(/[\s,.-]+$/, '').length]
  // a year of birth alone, after an unambiguous birth label
  if (role === 'birth' && !/^(?:b\.|n[ée])/i.test(label)) {
    const y = sticky(yearValue, rest, from)
    if (y) return [from, from + y[0].length]
  }
}

/** A code after a label: enough digits for its kind, and no date, range or measurement. */
function codeAfter(rest: string, at: number, role: LabelRole): [number, number] | undefined {
  const need = minDigits[role] ?? 3
  const m = sticky(codeValue, rest, at)
  if (!m) return
  // a trailing word in capitals is the next label: "MRN 1234567 LVEF"
  const value = m[0].replace(/[\s.,/-]+$/, '').replace(/[ ][A-Za-z]+$/, '')
  const digits = value.replace(/\D/g, '').length
  if (digits < need || value.replace(/[^A-Za-z0-9]/g, '').length < Math.max(need, 4)) return
  // a date, a range or a measurement is not a code: "Visit: 12.03.2024", "(ref 67-159)", "Lot 12 mm"
  if (
    fullDate.test(value) ||
    (role === 'weak_id' && range.test(value)) ||
    /^\s*(?:%|mm|cm|ml|mg|ms|kg|bpm|mmhg)\b/i.test(rest.slice(at + value.length))
  )
    return
  return [at, at + value.length]
}

// ---------------------------------------------------------------------------------------------
// names by context

// a clinical word, whole: names may hold the same letters ("Mildred", "Scanlon", "Shipman")
const clinicalTerm =
  /^(?:\p{L}*(?:graph|scop|imag|perfus|sequenc|protocol|contrast|mapping|angio|regurg|stenos|lesion|plaque)\p{L}*|study|studies|exam|examination|scan|scans|flow|volume|volumes|fraction|grade|trace|trivial|mild|moderate|severe|normal|none|absent|present|noted|seen|jet|leak|plane|heart|chest|brain|spine|pelvis|abdomen|liver|knee|hip|shoulder|neck|head|orbit|aorta|aortic|mitral|tricuspid|pulmonary|cardiac|patient|report|finding|findings|disease|relapse|active|only|significant)$/iu
const hasClinicalTerm = (s: string) => s.split(/[\s,]+/).some((w) => clinicalTerm.test(w))
// in capitals after MR or MS, any clinical stem
const clinicalWord =
  /GRAPH|SCOP|IMAG|SCAN|STUD|EXAM|PERFUS|CARDI|HEART|BRAIN|SPIN|PELV|ABDOM|CHEST|KNEE|SHOULDER|HIP|LIVER|PROSTAT|BREAST|NECK|HEAD|ORBIT|SEQUENC|PROTOCOL|CONTRAST|FLOW|MAPP|FINDING|REPORT|LESION|PLAQUE|DISEASE|RELAPS|PATIENT|SEVERE|MODERATE|MILD|TRACE|TRIVIAL|GRADE|REGURG|STENOS|VALV|AORT|MITRAL|TRICUSP|PULMON|PRESENT|ABSENT|NONE|ONLY|SIGNIFICANT|NOTED|SEEN|JET|LEAK|VOLUME|FRACTION|NORMAL|ACTIVE|PLANE|LESIONS/
const childLink = /(?:[ \t]+(?:boy|girl|of|de|von|van|di|da|do|du|del|della)(?![\p{L}]))*[ \t]+/iuy
const afterTitle = /\.?[ \t]+/y

/** "Mrs Hale", "Frau Müller", "Baby boy Lopez", "mrs hale"; "MR ANGIOGRAPHY" is not one. */
function honorific(text: string, label: string, start: number, end: number): Span | undefined {
  const lower = label.toLowerCase().replace(/\s+/g, ' ')
  const caps = label === label.toUpperCase()
  // "Mr", "Ms" and "Sr" title a name only as written so, or in capitals: "ms" is milliseconds
  if (ambiguousHonorifics.has(lower) && !caps && !/^\p{Lu}\p{Ll}*$/u.test(label)) return
  const child =
    /^(?:baby|infant|newborn|neonate|twin|b[ée]b[ée]|bambin|neonat|reci|rec[ée]m|noworodek|nyf|pasgeboren|neugeboren)/.test(
      lower,
    )
  let at = end
  const link = child ? sticky(childLink, text, at) : sticky(afterTitle, text, at)
  if (!link) return
  at += link[0].length
  if (ambiguousHonorifics.has(lower) && caps && label.length > 1) {
    // in capitals, "MR" and "MS" are also magnetic resonance, mitral regurgitation and stenosis and
    // multiple sclerosis: a name there is two words in capitals, neither of them a clinical one
    const two =
      /(\p{Lu}\.[ \t]?)?(\p{Lu}[\p{Lu}'’-]+)(?:[ \t]+(\p{Lu}[\p{Lu}'’-]+))?(?![\p{L}\d])/uy
    const m = sticky(two, text, at)
    if (!m || (!m[1] && !m[3])) return
    const words = [m[2], m[3]].filter((w): w is string => w !== undefined)
    if (words.some((w) => clinicalWord.test(w) || isReportWord(w))) return
    return { kind: 'name', start, end: at + m[0].length }
  }
  if (ambiguousHonorifics.has(lower) && !/^\p{Lu}\p{Ll}*$/u.test(label)) return
  const upperFirst = /\p{Lu}/u.test(text[at] ?? '')
  // lower case only after a title that is no other word: "mrs hale", never "ms 20"
  if (!upperFirst && (ambiguousHonorifics.has(lower) || label[0] !== lower[0] || child)) return
  if (
    !upperFirst &&
    !/^(?:mrs|mme|mlle|mevr|frau|herr|sig|sra|se[ñn]ora|signora|pani|fru|senhora|dona|madame|monsieur|miss|mister)/.test(
      lower,
    )
  )
    return
  const n = readName(text.slice(at, at + 80), 0, !upperFirst, true, true)
  // "Mr Angiography": a clinical word after "Mr" is magnetic resonance
  if (!n || hasClinicalTerm(text.slice(at, at + n))) return
  return { kind: 'name', start, end: at + n }
}

// the two words before an age's number: "Maria Lopez, 62", "LOPEZ Maria (62"
const pairBefore =
  /(\p{Lu}[\p{Ll}'’-]+|\p{Lu}{2,})[ \t]+(\p{Lu}[\p{Ll}'’-]+|\p{Lu}{2,})(?:[ \t]*[,(]?|,?[ \t]+(?:(?:is|was)[ \t]+)?an?)[ \t]*$/u
const pairAfter =
  /[ \t]*[,;)]?[ \t]*(?:(?:male|female|man|woman|boy|girl|[mfw])(?![\p{L}])[ \t,]*)?(\p{Lu}[\p{Ll}'’-]+)[ \t]+(\p{Lu}[\p{Ll}'’-]+)(?![\p{L}])/uy

/** "Maria Lopez, 62 yo", "62 yo F, Maria Lopez": a name-shaped pair right beside an age. */
function nameBesideAge(text: string, start: number, end: number): Span | undefined {
  // back over the age's number, then read the words before it
  let p = start
  while (p > 0 && /[ \t–-]/.test(text[p - 1] ?? '')) p--
  const numberEnd = p
  while (p > 0 && numberEnd - p < 4 && /\d/.test(text[p - 1] ?? '')) p--
  if (p === numberEnd) {
    // the age word before its number: "Rossi Maria di anni 71", "aged 62"
    if (!sticky(/[ \t]+\d{1,3}(?!\d)/y, text, end)) return
    const link = /(?:[ \t]+(?:di|de|von|of|aged|agée?|d'))?[ \t]*$/iu.exec(
      lineBefore(text, start, 12),
    )
    p = start - (link?.[0].length ?? 0)
  }
  const before = lineBefore(text, p, 60)
  const b = /\p{L}/u.test(before) ? pairBefore.exec(before) : null
  if (b?.[1] && b[2] && !isReportWord(b[1]) && !isReportWord(b[2])) {
    const s = p - before.length + b.index
    return { kind: 'name', start: s, end: s + b[1].length + 1 + b[2].length }
  }
  const a = sticky(pairAfter, text, end)
  if (a?.[1] && a[2] && !isReportWord(a[1]) && !isReportWord(a[2])) {
    const s = end + a[0].length - a[1].length - 1 - a[2].length
    return { kind: 'name', start: s, end: end + a[0].length }
  }
}

const parenDescription =
  /\([ \t]*(?:\d{1,3}[ \t]*(?:y|yo|yrs?|j|a|ans|jaar|år|lat|anni|anos|años)?\.?[ \t]*[,/ ][ \t]*[MFWKmfwk]|[MFWKmfwk][ \t]*[,/ ][ \t]*\d{1,3}[ \t]*(?:y|yo|yrs?|j|a)?\.?)[ \t]*\)/y

/** "Maria Lopez (62 F)", "LOPEZ Maria (F/62)": a name-shaped pair before an age and sex. */
export function nameBeforeParen(text: string, paren: number): Span | undefined {
  if (!sticky(parenDescription, text, paren)) return
  const before = lineBefore(text, paren, 60)
  const b = pairBefore.exec(before)
  if (!b?.[1] || !b[2] || isReportWord(b[1]) || isReportWord(b[2])) return
  const s = paren - before.length + b.index
  return { kind: 'name', start: s, end: s + b[1].length + 1 + b[2].length }
}

const headLine =
  /^[ \t]*((?:\p{Lu}[\p{L}'’-]+|\p{Lu}\.)(?:[ \t]*,?[ \t]+(?:\p{Lu}[\p{L}'’-]+|\p{Lu}\.|(?:van|der|den|de|la|le|von|zu|di|da|del|du|dos|das|ter|ten)(?=[ \t]))){1,4})[ \t]*(?:[,(][^\n]{0,30})?$/mu

// words of exam and department titles, in the languages served: not a given name or a surname
const titleEnding =
  /(?:olog(?:y|ie|ia|ía)|ograph\p{L}*|ograf\p{L}*|oscop\p{L}*|ation|ción|zione|ment|ients|ics|ique|isch|ische|ungen|ung|heid|tion|-)$|^\p{L}{1,2}-/iu

/** A name on a report's first line, above its exam title: "Maria Lopez\nCHEST X-RAY ...". */
const bornMark = /\*[ \t]?\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?![\d.])/y

/** "*12.03.1957": the German mark for a date of birth. */
export function bornAt(text: string, star: number): Span | undefined {
  const m = sticky(bornMark, text, star)
  return m ? { kind: 'date_of_birth', start: star + 1, end: star + m[0].length } : undefined
}

export function headName(text: string): Span | undefined {
  const first = /^\s*/.exec(text)?.[0].length ?? 0
  const nl = text.indexOf('\n', first)
  if (nl === -1 || nl - first > 70) return
  const m = headLine.exec(text.slice(first, nl))
  if (!m?.[1]) return
  const words = m[1].split(/[\s,]+/).filter((w) => w.length > 2 && !/\.$/.test(w))
  if (words.length < 2 || words.some((w) => isReportWord(w) || titleEnding.test(w))) return
  // the next line names the exam
  const next = /\S[^\n]*/.exec(text.slice(nl, nl + 200))?.[0] ?? ''
  if (!next.split(/[^\p{L}]+/u).some((w) => w && isReportWord(w))) return
  const s = first + m.index + (m[0].length - m[0].trimStart().length)
  return { kind: 'name', start: s, end: s + m[1].length }
}

// ---------------------------------------------------------------------------------------------
// addresses by their street words

const houseNumberBefore =
  /(?<![\w.,])(\d{1,5}[A-Za-z]?),?[ \t]+((?:[\p{L}'’.-]{1,40}[ \t]+){1,3})$/u
const englishStreetAfterName = /(?:\p{Lu}[\p{Ll}'’-]+[ \t]+){1,3}$/u

/** "12 Baker Street", "221B BAKER ST.", "Baker Street, London". */
function street(text: string, label: string, start: number, end: number): Span | undefined {
  if (
    /^(?:st|ct|way|row|walk|hill|place|close|court|grove|square|sq)$/i.test(label) &&
    !/^\p{Lu}/u.test(label)
  )
    return
  const before = lineBefore(text, start, 60)
  const m = houseNumberBefore.exec(before)
  if (m?.[2]) {
    const words = m[2].trim().split(/\s+/)
    // capitalised words, as street names are; a street may bear a clinical eponym (Baker)
    if (words.every((w) => /^\p{Lu}/u.test(w)) && !words.some((w) => clinicalTerm.test(w)))
      return {
        kind: 'address',
        start: start - before.length + m.index,
        end: end + (text[end] === '.' ? 1 : 0),
      }
  }
  // no house number: a capitalised street of an unambiguous kind, then a town
  if (/^(?:street|road|avenue|lane|drive|boulevard|terrace|crescent|gardens|mews)$/i.test(label)) {
    const n = englishStreetAfterName.exec(before)
    if (n && !hasClinicalTerm(n[0]) && /^,[ \t]*\p{Lu}\p{Ll}/u.test(text.slice(end, end + 4)))
      return { kind: 'address', start: start - n[0].length, end }
  }
}

const prefixedStreet =
  /[ \t]+(?:(?:de|du|des|la|le|l'|del|della|di|do|da|dos|das)[ \t]+)*\p{Lu}[\p{L}'’-]+(?:[ \t]+(?:\p{Lu}[\p{L}'’-]+|de|del|di|da|do|la))*/uy
const numberAfterStreet = /,?[ \t]*(?:n[°º.]?[ \t]*)?\d{1,4}[a-zA-Z]?(?![\d.,]?\d)/y

/** "12 rue de la Paix", "Via Roma 8", "Calle Mayor, 3", "ul. Długa 5", "Rua Augusta 120". */
function streetAfter(text: string, label: string, start: number, end: number): Span | undefined {
  const name = sticky(prefixedStreet, text, end)
  const particles = /^(?:de|du|des|la|le|l'|del|della|di|do|da|dos|das)$/i
  if (
    !name ||
    name[0]
      .trim()
      .split(/\s+/)
      .some((w) => !particles.test(w) && isReportWord(w))
  )
    return
  const after = end + name[0].length
  const num = sticky(numberAfterStreet, text, after)
  if (num) return { kind: 'address', start, end: after + num[0].length }
  const before = lineBefore(text, start, 12)
  const house = /(?<![\w.,])\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+$/.exec(before)
  if (house && !/^(?:via|largo|plaza)$/i.test(label))
    return { kind: 'address', start: start - before.length + house.index, end: after }
}

/** "Hauptstraße 12", "Kalverstraat 5a", "Storgatan 5". */
function streetNumberAfter(text: string, start: number, end: number): Span | undefined {
  const num = sticky(numberAfterStreet, text, end)
  if (!num) return
  let s = start
  while (s > 0 && /[\p{L}-]/u.test(text[s - 1] ?? '')) s--
  if (!/^\p{Lu}/u.test(text[s] ?? '') || s === start) return
  return { kind: 'address', start: s, end: end + num[0].length }
}

/** "Flat 3, Rose Court", "Apt 4B, 12 Elm Road". */
function flat(text: string, start: number, end: number): Span | undefined {
  const m = /[ \t]*\d{1,4}[A-Za-z]?,[ \t]*(?:\d{1,5}[ \t]+)?\p{Lu}[\p{Ll}'’-]+/uy
  const v = sticky(m, text, end)
  if (!v || !/^\p{Lu}/u.test(text[start] ?? '')) return
  return { kind: 'address', start, end: end + v[0].length }
}

// ---------------------------------------------------------------------------------------------
// the shape scan: identifiers without a label

const usStates =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC'
const town = /[ \t]*(\p{Lu}\p{Ll}{2,}(?:[ -]\p{Lu}\p{Ll}+)?)/uy
// shapes of national numbers and postcodes that hold letters, written in capitals
// each with the numbers of capitals that can stand before its first digit
const capitalShapes: [IdentifierKind, RegExp, (s: string) => boolean, number[]][] = [
  // Italian codice fiscale
  ['national_id', /[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![A-Za-z\d])/y, () => true, [6]],
  // UK National Insurance number
  [
    'national_id',
    /(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z\d])/y,
    () => true,
    [2],
  ],
  // Spanish NIE (the DNI, all digits but its letter, is read with the numbers)
  ['national_id', /[XYZ]-?\d{7}-?[A-Z](?![A-Za-z\d])/y, isDniOrNie, [1]],
  [
    'account_number',
    /[A-Z]{2}\d{2} ?(?:[A-Z0-9]{4} ?){2,7}[A-Z0-9]{1,4}(?![A-Za-z\d])/y,
    isIban,
    [2],
  ],
  // UK postcode
  ['address', /[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z\d])/y, () => true, [1, 2]],
]
const usState = new RegExp(`(?:^|[\\p{L}.],?[ \\t])(?:${usStates}),?[ \\t]$`, 'u')

const surnameGiven =
  /(\p{Lu}[\p{Lu}'’-]{2,40})(?:[ \t]\p{Lu}[\p{Lu}'’-]{2,40})?,[ \t]?(\p{Lu}[\p{Ll}'’-]{2,40}(?:-\p{Lu}\p{Ll}{1,40})?|\p{Lu}[\p{Lu}'’-]{2,40})(?:[ \t]\p{Lu}\p{Ll}{1,40})?(?![\p{L}])/uy

function surname(text: string, at: number): Span | undefined {
  const m = sticky(surnameGiven, text, at)
  if (!m) return
  const [, family = '', given = ''] = m
  if (isReportWord(family) || isReportWord(given) || hasClinicalTerm(family)) return
  if (/^X+$/i.test(family) || /^X+$/i.test(given)) return
  // both in capitals is a name only at the start of a line or after a label
  if (given === given.toUpperCase()) {
    const before = text.slice(Math.max(0, at - 40), at)
    if (!/(?:^|\n)[^\S\n]*$|[:：][^\S\n]*$|\S(?: {2,}|\t)$/.test(before)) return
  }
  return { kind: 'name', start: at, end: at + m[0].length }
}

export function dicom(text: string, caret: number): Span | undefined {
  let s = caret
  while (s > 0 && /[\p{L}'’-]/u.test(text[s - 1] ?? '')) s--
  const m = /[\p{L}'’-]{2,40}\^[\p{L}'’-]{2,40}(?:\^[\p{L}'’-]{0,40}){0,3}/uy
  const v = sticky(m, text, s)
  return v ? { kind: 'name', start: s, end: s + v[0].length } : undefined
}

const at = String.raw`(?:[ \t]?@[ \t]?|\s?[([{<]\s?at\s?[)\]}>]\s?|[ \t]at[ \t])`
const dot = String.raw`(?:[ \t]?\.[ \t]?|\s?[([{<]\s?dot\s?[)\]}>]\s?|[ \t]dot[ \t])`
const email = new RegExp(
  String.raw`[\w+-]{1,64}(?:${dot}[\w+-]{1,64}){0,4}${at}[\w-]{1,63}(?:${dot}[\w-]{1,63}){0,6}${dot}[a-z]{2,10}(?![\w])`,
  'gi',
)

const knownTld =
  /\.(?:com|org|net|edu|gov|info|io|health|nhs|uk|de|fr|es|it|nl|se|pl|pt|br|eu|ch|at|be|dk|no|fi|ie|us|ca|au)$/

/** E-mail addresses in text[from, to), plain or spelled out ("john dot smith at example dot com"). */
function emailsIn(text: string, from: number, to: number): Span[] {
  const out: Span[] = []
  const window = text.slice(from, to)
  for (const m of window.matchAll(email)) {
    // a spelled "at" needs a spelled dot, or a written one before a known domain ending:
    // "maria.lopez at gmail.com", not "patient at rest.Normal"
    if (!/@|[([{<]\s?at/i.test(m[0])) {
      const host = m[0].slice(m[0].search(/[ \t]at[ \t]/i))
      if (!/dot/i.test(host) && !knownTld.test(host)) continue
    }
    out.push({ kind: 'email', start: from + m.index, end: from + m.index + m[0].length })
  }
  return out
}

function lineAround(text: string, i: number, reach = 160): [number, number] {
  const a = text.lastIndexOf('\n', i - 1) + 1
  const nl = text.indexOf('\n', i)
  return [Math.max(a, i - reach), Math.min(nl === -1 ? text.length : nl, i + reach)]
}

// a number shape starts where no word, decimal or other number goes on into it
const standalone = (re: RegExp) => new RegExp(`(?<![\\w.,/-])${re.source}`, 'y')
const phoneShapes = [
  // +44 20 7946 0958, +1 (555) 123-4567, (020) 7946 0958
  standalone(/\+\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,8}){1,3}(?![\w])/y),
  standalone(/\(\d{2,5}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\w])/y),
  // 555.123.4567, 555-123-4567, 555 123 4567
  standalone(/\d{3}([.\- ])\d{3}\1\d{4}(?![\w.,/]\d|\w)/y),
  // trunk-prefixed national numbers: 020 7946 0958, 06-12345678, 030/1234567
  standalone(/0\d{1,4}[\s./-]\d{3,4}[\s.-]?\d{3,4}(?![\w.,/]\d|\w)/y),
]
const numberShapes: [IdentifierKind, RegExp, (s: string) => boolean][] = [
  ['national_id', standalone(/\d{3}-\d{2}-\d{4}(?![\d-])/y), isSsn],
  ['national_id', standalone(/\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d.,/-]?\d)/y), isNhsNumber],
  ['national_id', standalone(/(?:\d{4}\.\d{2}\.\d{3}|\d{9})(?![\d.,/-]?\d)/y), isBsn],
  ['national_id', standalone(/(?:19|20)?\d{6}[-+]\d{4}(?![\d-])/y), isPersonnummer],
  ['national_id', standalone(/\d{11}(?!\d)/y), isPesel],
  ['national_id', standalone(/\d{8}-?[A-Z](?![A-Za-z\d])/y), isDniOrNie],
  ['national_id', standalone(/\d{3}\.\d{3}\.\d{3}-\d{2}(?!\d)/y), isCpf],
  ['national_id', standalone(/756\.\d{4}\.\d{4}\.\d{2}(?!\d)/y), () => true],
  [
    'national_id',
    standalone(/[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\d])/y),
    isNir,
  ],
  ['address', standalone(/\d{5}-\d{4}(?![\d-])/y), () => true],
  [
    'ip_address',
    standalone(/(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.]?\d)/y),
    () => true,
  ],
]

const bareRun = standalone(/\d{10,11}(?![\d.,/-]?\d)/y)

// a number followed by a unit is a measurement: "998 990 1003 ms" are three T1 times
const unitAfter = /[ \t]*(?:ms|msec|ml|mm|cm|m2|%|g|kg|bpm|mmhg|hu|s|mgy|l\/min)(?![A-Za-z])/iy

// a dotted quad after a version word is a software version, not an address
const versionBefore =
  /(?:version|ver\.?|v|software|sw|firmware|release|build|syngo|rev\.?)[ \t:]*$/i

/** Identifiers in a run of digits and separators, read from each token start in it. */
export function numbersIn(text: string, from: number, to: number, out: Span[]): void {
  let i = from
  while (i < to) {
    const c = text[i] ?? ''
    const tokenStart =
      (c === '+' || c === '(' || (c >= '0' && c <= '9')) &&
      (i === from || ' \t\n./()-'.includes(text[i - 1] ?? 'x'))
    let next = i + 1
    if (tokenStart) {
      for (const [kind, re, check] of numberShapes) {
        const m = sticky(re, text, i)
        if (m && check(m[0])) {
          if (kind === 'ip_address' && versionBefore.test(lineBefore(text, i, 24))) continue
          out.push({ kind, start: i, end: i + m[0].length })
          next = Math.max(next, i + m[0].length)
        }
      }
      if (next === i + 1)
        for (const re of phoneShapes) {
          const m = sticky(re, text, i)
          if (!m) continue
          const digits = m[0].replace(/\D/g, '').length
          if (digits < 9 || digits > 15 || sticky(unitAfter, text, i + m[0].length)) continue
          out.push({ kind: 'phone', start: i, end: i + m[0].length })
          next = i + m[0].length
          break
        }
      // a bare 10-11 digit run that is no national number: a phone
      if (next === i + 1) {
        const m = sticky(bareRun, text, i)
        if (m) {
          out.push({ kind: 'phone', start: i, end: i + m[0].length })
          next = i + m[0].length
        }
      }
    }
    i = next
  }
}

/** The identifier in the capitals-and-digits word starting at `at` ("SW1A 1AA", "X1234567L"),
 * whose first `capitals` characters are letters. */
export function capitalsAt(text: string, at: number, capitals: number): Span | undefined {
  for (const [kind, re, check, before] of capitalShapes) {
    if (!before.includes(capitals)) continue
    const m = sticky(re, text, at)
    if (m && check(m[0])) return { kind, start: at, end: at + m[0].length }
  }
}

const postcodeShapes = [
  /\d{4} ?[A-Z]{2}(?= )/y, // NL
  /\d{2}-\d{3}(?= )/y, // PL
  /\d{4}-\d{3}(?= )/y, // PT
  /\d{3} \d{2}(?= )/y, // SE
  /\d{5}(?= )/y, // DE, FR, ES, IT, US
  /\d{4}(?= )/y, // BE, CH, AT, DK, NO: only at the start of a line or after a comma
]
const zip = /\d{5}(?:-\d{4})?(?![\d-])/y

/** A postcode before a town ("10115 Berlin", "1234 AB Amsterdam", "114 55 Stockholm"), or a US
 * ZIP code after its state ("Springfield, IL 62704-1234"), starting at `at`. */
export function postcodeAt(text: string, at: number): Span | undefined {
  const z = sticky(zip, text, at)
  if (z && usState.test(lineBefore(text, at, 40)))
    return { kind: 'address', start: at, end: at + z[0].length }
  for (const [i, re] of postcodeShapes.entries()) {
    const m = sticky(re, text, at)
    if (!m) continue
    if (i === postcodeShapes.length - 1) {
      // four digits alone: a postcode only where an address line starts, and never a year
      if (/^(?:19|20)\d{2}$/.test(m[0]) || !/(?:^|[\n,])[ \t]*$/.test(lineBefore(text, at, 20)))
        return
    }
    const t = sticky(town, text, at + m[0].length)
    if (!t?.[1] || isReportWord(t[1].split(/[ -]/)[0] ?? '')) return
    return { kind: 'address', start: at, end: at + m[0].length + t[0].length }
  }
}

const bracketed = /[([{<] ?(?:at|dot) ?[)\]}>]/iy

const spelledAt = /[ \t]at[ \t][\w-]{1,63}(?:\.[\w-]{1,63}){0,6}\.[a-z]{2,10}(?![\w])/y

/** An e-mail address around `at`, where an "@", "[at]", "(dot)", " dot " or " at host.org" stands. */
export function emailAround(text: string, at: number): Span[] {
  if (text[at] !== '@' && text[at] !== ' ' && !sticky(bracketed, text, at)) return []
  if (text[at] === ' ' && /^ at/i.test(text.slice(at, at + 3)) && !sticky(spelledAt, text, at))
    return []
  const [a, b] = lineAround(text, at)
  return emailsIn(text, a, b).filter((f) => f.start <= at && f.end >= at)
}

/** "VAN DER BERG, Giulia": a name in capitals before the comma at `comma`. */
export function surnameBefore(text: string, comma: number): Span | undefined {
  let a = comma
  while (a > 0 && comma - a < 60 && /[\p{Lu}'’ -]/u.test(text[a - 1] ?? '')) a--
  for (let i = a; i < comma - 2; i++) {
    if (i > a && text[i - 1] !== ' ') continue
    const f = surname(text, i)
    if (f) return f
  }
}

const suffix = new RegExp(`(?:${streetSuffixes})$`, 'i')

/** "Hauptstraße 12": a word from `start` to `end` with a street's ending, then a number. */
export function compoundStreetAt(text: string, start: number, end: number): Span | undefined {
  const stop = text[end] === '.' ? end + 1 : end
  const m = suffix.exec(text.slice(start, stop))
  return m ? streetNumberAfter(text, start + m.index, stop) : undefined
}

// an age's words after its number, in the served languages: "92-year-old", "93 years", "91 yo",
// "94 J.", "95 Jahre", "92 ans", "93 años", "91 anni", "90 jaar", "96 år", "92 lat", "91 anos"
const ageAfter =
  /^[ \t]*[-–]?[ \t]*(?:years?(?:[ \t-]+old)?|yrs?\.?|y\.?[ \t]?o\.?|y\/o|yo|jahre?|j\.|j[äa]hrige[rn]?|jarige|jaar|ans?|a[ñn]os|anos|anni|[åa]r|lat|roku)(?![\p{L}])/iu
// an age's label before its number: "aged 92", "age: 93", "Alter: 91", "âge 92", "edad: 93"
const ageBefore = /(?<![\p{L}])(?:aged?|alter|âge|edad|età|leeftijd|idade|ålder|wiek)[ \t:=|]*$/iu
const otherUnitAfter = /^[ \t]*(?:days?|weeks?|months?|wk|mo|min|h|hours?|%|mm|cm|ml|mg|kg|g)\b/i

/** An age of 90 or more, by its words: the one age Safe Harbor removes. */
export function ageOver89(text: string, start: number, end: number): Span | undefined {
  const n = Number(text.slice(start, end))
  if (!(n >= 90 && n <= 130) || end - start > 3) return undefined
  const after = text.slice(end, end + 16)
  if (otherUnitAfter.test(after)) return undefined
  if (ageAfter.test(after) || ageBefore.test(text.slice(Math.max(0, start - 14), start)))
    return { kind: 'age_over_89', start, end }
  return undefined
}
