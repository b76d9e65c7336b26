/**
 * JSON exports: FHIR R4 (Observation, Bundle, DiagnosticReport, contained resources; code.text or
 * coding.display as the label, valueQuantity, referenceRange, component) and any nested JSON whose
 * key path names the measurement ({"LV": {"EDV": {"value": 196, "unit": "ml"}}}, arrays of
 * {"name", "value", "unit"}). JSON.parse keeps no offsets, so a small parser that follows RFC 8259
 * does, and every value in the rendering is copied from the report's own characters.
 */

import { renderMarkupText } from './markup-events.ts'
import { type Rendering, RenderingBuilder } from './rendering.ts'
import { identifierWords, isUnitAlone, unitAsRead } from './unit-spelling.ts'

type Node =
  | {
      kind: 'object'
      start: number
      end: number
      entries: { key: string; keyStart: number; keyEnd: number; value: Node }[]
    }
  | { kind: 'array'; start: number; end: number; items: Node[] }
  /** Strings: start/end are inside the quotes. */
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number' | 'literal'; start: number; end: number; raw: string }

class JsonReader {
  i = 0
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
  fail(): never {
    throw new SyntaxError(`JSON: unexpected character at ${this.i}`)
  }
  ws() {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++
  }
  value(): Node {
    this.ws()
    const ch = this.text[this.i]
    if (ch === '{') return this.object()
    if (ch === '[') return this.array()
    if (ch === '"') return this.string()
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.i, this.i + 64),
    )
    if (!m) this.fail()
    const start = this.i
    this.i += m[0].length
    return { kind: /^[-\d]/.test(m[0]) ? 'number' : 'literal', start, end: this.i, raw: m[0] }
  }
  string(): Node & { kind: 'string' } {
    const start = ++this.i
    let out = ''
    while (this.i < this.text.length) {
      const ch = this.text[this.i] as string
      if (ch === '"') {
        const end = this.i++
        return { kind: 'string', start, end, value: out }
      }
      if (ch === '\\') {
        const e = this.text[this.i + 1] as string
        if (e === 'u') {
          out += String.fromCharCode(Number.parseInt(this.text.slice(this.i + 2, this.i + 6), 16))
          this.i += 6
          continue
        }
        out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e
        this.i += 2
        continue
      }
      out += ch
      this.i++
    }
    return this.fail()
  }
  object(): Node {
    const start = this.i++
    const entries: (Node & { kind: 'object' })['entries'] = []
    this.ws()
    if (this.text[this.i] === '}') return { kind: 'object', start, end: ++this.i, entries }
    for (;;) {
      this.ws()
      if (this.text[this.i] !== '"') this.fail()
      const k = this.string()
      this.ws()
      if (this.text[this.i++] !== ':') this.fail()
      entries.push({ key: k.value, keyStart: k.start, keyEnd: k.end, value: this.value() })
      this.ws()
      const ch = this.text[this.i++]
      if (ch === '}') return { kind: 'object', start, end: this.i, entries }
      if (ch !== ',') this.fail()
    }
  }
  array(): Node {
    const start = this.i++
    const items: Node[] = []
    this.ws()
    if (this.text[this.i] === ']') return { kind: 'array', start, end: ++this.i, items }
    for (;;) {
      items.push(this.value())
      this.ws()
      const ch = this.text[this.i++]
      if (ch === ']') return { kind: 'array', start, end: this.i, items }
      if (ch !== ',') this.fail()
    }
  }
}

export function looksLikeJson(text: string): boolean {
  return /^\ufeff?\s*[[{]/.test(text) && /"\s*:/.test(text.slice(0, 2000))
}

const get = (n: Node | undefined, key: string): Node | undefined =>
  n?.kind === 'object' ? n.entries.find((e) => e.key === key)?.value : undefined

/** Keys that hold a measurement's parts, not its name. */
const partKeys = new Set([
  'value',
  'val',
  'v',
  'amount',
  'result',
  'measurement',
  'measurements',
  'data',
  'values',
  'items',
  'unit',
  'units',
  'uom',
  'unitcode',
  'name',
  'label',
  'title',
  'code',
  'system',
  'display',
  'text',
  'results',
  'observations',
  'parameters',
  'entries',
  'entry',
  'resource',
  'content',
  'report',
])
const unitKeys = ['unit', 'units', 'uom', 'unitCode', 'unit_code']
const nameKeys = ['name', 'label', 'title', 'parameter', 'measure', 'display', 'text']
/** Keys whose numbers are never a measurement of the report. */
const skipKeys =
  /^(?:id|identifier|version|versionId|system|status|date|time|datetime|timestamp|issued|effective\w*|reference|encounter|accession\w*|mrn|url|fullUrl|lastUpdated|low|high|referenceRange|normal\w*|ref\w*|range|name|birth\w*|dob|address|telecom|meta|prior\w*|previous\w*|z\w*score|percentile|seq|sequence|order|position|row|line|no|nr)$/i

interface Label {
  text: string
  start: number
  end: number
}

function renderLine(
  b: RenderingBuilder,
  labels: readonly Label[],
  value: Node,
  unit: Node | undefined,
  range: { low?: Node; high?: Node } | undefined,
  copyLabel: (l: Label) => void,
) {
  b.newline(value.start)
  labels.forEach((l, i) => {
    if (i > 0) b.insert(' ', l.start)
    copyLabel(l)
  })
  b.insert(': ', value.start)
  b.copy(value.start, value.end)
  if (unit?.kind === 'string' && unit.end > unit.start) {
    const word = unitAsRead(unit.value)
    b.insert(' ', unit.start)
    if (word) b.insert(word, unit.start, unit.end)
    else b.copy(unit.start, unit.end)
  }
  if (range?.low || range?.high) {
    b.insert(' (ref ', (range.low ?? range.high)?.start ?? value.end)
    if (range.low) b.copy(range.low.start, range.low.end)
    b.insert('-', value.end)
    if (range.high) b.copy(range.high.start, range.high.end)
    b.insert(')', value.end)
  }
  b.insert('\n', value.end)
  b.statements++
}

/** FHIR: an Observation's code as its label, its valueQuantity, reference range and components. */
function fhirObservation(b: RenderingBuilder, obs: Node, prefix: Label[]) {
  const code = get(obs, 'code')
  const name = (n: Node | undefined): Label[] => {
    const t = get(n, 'text')
    const coding = get(n, 'coding')
    const display =
      coding?.kind === 'array'
        ? coding.items.map((c) => get(c, 'display')).find(Boolean)
        : undefined
    const names = [t, display].filter((x): x is Node & { kind: 'string' } => x?.kind === 'string')
    return names.map((x) => ({ text: x.value, start: x.start, end: x.end }))
  }
  // the code's text and its display where they differ ("EDV", "LV end-diastolic volume")
  const own = name(code).filter((l, i, all) => all.findIndex((x) => x.text === l.text) === i)
  const labels = [...prefix, ...own]
  const copy = (l: Label) => b.copy(l.start, l.end)
  const q = get(obs, 'valueQuantity')
  const v = get(q, 'value')
  const range = get(obs, 'referenceRange')
  const r0 = range?.kind === 'array' ? range.items[0] : undefined
  if (v?.kind === 'number')
    renderLine(
      b,
      labels,
      v,
      get(q, 'unit') ?? get(q, 'code'),
      { low: get(get(r0, 'low'), 'value'), high: get(get(r0, 'high'), 'value') },
      copy,
    )
  const sv = get(obs, 'valueString')
  if (sv?.kind === 'string' && sv.end > sv.start) {
    b.newline(sv.start)
    for (const l of labels) copy(l)
    b.insert(': ', sv.start).copy(sv.start, sv.end).insert('\n', sv.end)
  }
  const components = get(obs, 'component')
  if (components?.kind === 'array') for (const c of components.items) fhirObservation(b, c, labels)
}

/** Any JSON: every number (or numeric string) with the key path that names it. */
function walk(b: RenderingBuilder, n: Node, path: Label[]) {
  if (n.kind === 'array') {
    for (const item of n.items) walk(b, item, path)
    return
  }
  if (n.kind !== 'object') return
  const type = get(n, 'resourceType')
  if (type?.kind === 'string') {
    if (type.value === 'Observation') return fhirObservation(b, n, [])
    const conclusion = get(n, 'conclusion')
    if (conclusion?.kind === 'string') {
      b.newline(conclusion.start)
        .insert('Conclusion: ', conclusion.start)
        .copy(conclusion.start, conclusion.end)
        .insert('\n', conclusion.end)
    }
  }
  // {"name": "LV EDV", "value": 196, "unit": "ml"}: a measurement object
  const parts = measurementParts(n)
  const { value, name: nameNode, unit } = parts
  if (value) {
    const labels = nameNode
      ? [...path, { text: nameNode.value, start: nameNode.start, end: nameNode.end }]
      : path
    if (labels.length)
      renderLine(
        b,
        labels,
        value,
        unit,
        { low: get(n, 'low') ?? get(n, 'min'), high: get(n, 'high') ?? get(n, 'max') },
        (l) => labelCopy(b, l),
      )
  }
  for (const e of n.entries) {
    if (skipKeys.test(e.key) || e.key === 'resourceType') continue
    if (type?.kind === 'string' && e.key === 'conclusion') continue
    const lower = e.key.toLowerCase()
    if (value && parts.keys.has(e.key)) continue
    const here = partKeys.has(lower)
      ? path
      : [...path, { text: identifierWords(e.key), start: e.keyStart, end: e.keyEnd }]
    const v = e.value
    if (
      v.kind === 'number' ||
      (v.kind === 'string' && /^\s*[-+]?\d+(?:[.,]\d+)?\s*(?:[a-zA-Z%/²0-9]+)?\s*$/.test(v.value))
    ) {
      if (here.length) renderLine(b, here, v, unit, undefined, (l) => labelCopy(b, l))
    } else if (v.kind === 'string' && v.value.length > 40 && /\s/.test(v.value)) {
      // narrative: a findings or impression text (FHIR's narrative is XHTML: its tags go)
      b.newline(e.keyStart)
      if (lower !== 'div') b.insert(`${identifierWords(e.key)}: `, e.keyStart, e.keyEnd)
      narrative(b, v)
      b.insert('\n', v.end)
    } else walk(b, v, here)
  }
}

/** A number, or a string of one with perhaps its unit ("58", "248 mL", "45,2 %"). */
const numeric = (x: Node | undefined) => {
  if (x?.kind === 'number') return true
  if (x?.kind !== 'string') return false
  const m = /^\s*[-+]?\d+(?:[.,]\d+)?(?:\s*\/\s*\d+)?\s*(.*?)\s*$/.exec(x.value)
  return m !== null && (m[1] === '' || isUnitAlone(m[1] as string))
}

/**
 * A measurement object's value, name and unit. By the usual keys ("value", "name", "unit"), else
 * by shape, in whatever language its keys are ({"nombre": "Peso", "valor": 76, "unidad": "kg"}):
 * one number, a string of words beside it, and perhaps a unit alone.
 */
function measurementParts(n: Node & { kind: 'object' }): {
  value?: Node
  name?: Node & { kind: 'string' }
  unit?: Node
  keys: Set<string>
} {
  const byKey = (keys: readonly string[], ok: (x: Node | undefined) => boolean) =>
    n.entries.find((e) => keys.includes(e.key.toLowerCase()) && ok(e.value))
  const valueEntry =
    byKey(['value', 'val', 'result', 'amount'], numeric) ??
    (() => {
      const nums = n.entries.filter((e) => !skipKeys.test(e.key) && numeric(e.value))
      return nums.length === 1 ? nums[0] : undefined
    })()
  if (!valueEntry) return { keys: new Set() }
  const strings = n.entries.filter(
    (e): e is typeof e & { value: Node & { kind: 'string' } } =>
      e !== valueEntry && e.value.kind === 'string' && e.value.value.trim().length > 0,
  )
  const unitEntry =
    strings.find((e) => unitKeys.includes(e.key)) ?? strings.find((e) => isUnitAlone(e.value.value))
  const nameEntry =
    strings.find((e) => nameKeys.includes(e.key.toLowerCase())) ??
    strings.find(
      (e) =>
        e !== unitEntry &&
        !skipKeys.test(e.key) &&
        e.value.value.length <= 80 &&
        /\p{L}{2}/u.test(e.value.value),
    )
  // by shape, a number needs a name beside it: {"count": 3, "comment": "..."} is no measurement
  const byShape = !['value', 'val', 'result', 'amount'].includes(valueEntry.key.toLowerCase())
  if (byShape && !nameEntry) return { keys: new Set() }
  return {
    value: valueEntry.value,
    ...(nameEntry ? { name: nameEntry.value } : {}),
    ...(unitEntry ? { unit: unitEntry.value } : {}),
    keys: new Set([
      valueEntry.key,
      ...(nameEntry ? [nameEntry.key] : []),
      ...(unitEntry ? [unitEntry.key] : []),
    ]),
  }
}

/** A JSON string as text: escapes and tags read, the rest copied. */
function narrative(b: RenderingBuilder, v: Node & { kind: 'string' }) {
  const raw = b.original.slice(v.start, v.end)
  const re = /<[^>]*>|\\(?:u[0-9a-fA-F]{4}|.)/g
  let at = 0
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    renderMarkupText(b, b.original, v.start + at, v.start + m.index)
    const s = m[0]
    const decoded = s.startsWith('<')
      ? /^<\/?(?:p|div|br|li|tr|h\d)\b/i.test(s)
        ? '\n'
        : ' '
      : s[1] === 'u'
        ? String.fromCharCode(Number.parseInt(s.slice(2), 16))
        : (({ n: '\n', t: ' ', r: '' } as Record<string, string>)[s[1] as string] ??
          (s[1] as string))
    if (decoded) b.insert(decoded, v.start + m.index, v.start + m.index + s.length)
    at = m.index + s.length
  }
  renderMarkupText(b, b.original, v.start + at, v.end)
}

/** A key as words where it is written in one ("endDiastolicVolume"), else copied. */
function labelCopy(b: RenderingBuilder, l: Label) {
  const written = b.original.slice(l.start, l.end)
  if (written === l.text) b.copy(l.start, l.end)
  else b.insert(l.text, l.start, l.end)
}

export function decodeJson(text: string): Rendering | undefined {
  // one value, or JSON Lines (one value a line, RFC 7464's and ndjson's streams)
  const roots: Node[] = []
  const r = new JsonReader(text)
  if (text.charCodeAt(0) === 0xfeff) r.i = 1
  let rest = text.length
  try {
    for (;;) {
      rest = r.i
      roots.push(r.value())
      r.ws()
      if (r.i >= text.length) break
    }
    rest = text.length
  } catch {
    if (roots.length === 0) return undefined
  }
  const b = new RenderingBuilder(text)
  for (const root of roots) walk(b, root, [])
  // a line that is not JSON stays in the rendering as it is, for every reader to see
  if (rest < text.length) b.newline(rest).copy(rest, text.length)
  return b.build('json')
}
