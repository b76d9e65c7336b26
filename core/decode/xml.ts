/**
 * XML exports of post-processing tools: measurement trees (cvi42-style groups), attribute values
 * (<Value Name="EDV" Unit="ml">), element values (<LVEDV unit="ml">196</LVEDV>), records of
 * name, value and unit children (<name>Height</name><value>177</value><unit>cm</unit>), and
 * DICOM SR-like content items (concept meaning, numeric value, unit). Each number becomes "group
 * names, name: value unit"; names come from name-like children or attributes, else from the
 * element path (camel case split); narrative elements stay text. Read with htmlparser2 in XML
 * mode, offsets kept; the root, which names the export, is left out of the labels.
 */
import { type Attribute, markupEvents, renderMarkupText } from './markup-events.ts'
import { type Rendering, RenderingBuilder } from './rendering.ts'
import { identifierWords, isUnitAlone, unitAsRead } from './unit-spelling.ts'

export function looksLikeXml(text: string): boolean {
  if (/^\ufeff?\s*<\?xml\b/.test(text)) return true
  // a document element that the text closes at its end: not a placeholder such as "<NAME> ..."
  const root = /^\ufeff?\s*<([A-Za-z_][\w:.-]*)[\s>]/.exec(text)
  return (
    root !== null &&
    !/^html$/i.test(root[1] as string) &&
    new RegExp(`</${(root[1] as string).replace(/[.]/g, '\\.')}>\\s*$`).test(text)
  )
}

interface El {
  name: string
  /** Local name, lower case: "cvi:Value" -> "value". */
  local: string
  attributes: Map<string, Attribute>
  children: El[]
  texts: { start: number; end: number }[]
  start: number
  end: number
}

interface Label {
  text: string
  start: number
  end: number
}

const numberRe = /^\s*[<>]?\s*[-+]?\d+(?:[.,]\d+)?\s*$/
const nameKeys = [
  'name',
  'label',
  'title',
  'meaning',
  'display',
  'parameter',
  'measure',
  'codemeaning',
]
const valueKeys = ['value', 'val', 'v', 'result', 'amount', 'numericvalue', 'mean', 'measuredvalue']
const unitKeys = [
  'unit',
  'units',
  'uom',
  'unitcode',
  'measurementunits',
  'measurementunitscodesequence',
]
/** Attributes and elements of identity, provenance or coding, never a measurement's name. */
const noise =
  /^(?:xmlns(?::.*)?|xml:.*|vendor|app|application|software|version|schema\w*|encoding|id|uid|guid|dob|birth\w*|birthday|date|time|datetime|timestamp|created|modified|mrn|accession\w*|operator|physician|sex|gender|age\w*|relationship|relationshiptype|valuetype|continuityofcontent|scheme|designator|flag|codingscheme\w*|status)$/i
/** Element names that group measurements without naming them. */
const containers =
  /^(?:measurements?|results?|values?|data|items?|parameters?|report|export|root|study|series|document|body|section|group|list|content|container|num|text|item|contentsequence|contentitem)$/i
/** A reference range's ends, a z-score, a prior: not this exam's measurement. A name that is
 * only a range end (max, lower limit) is one; a quantity a word qualifies (MaxVolume) is not. */
const otherWords = /\b(?:ref\w*|range|normal\w*|percentile|centile|prior|previous|z ?scores?|sd)\b/i
const rangeEnd = /^(?:min|max|low|high|lower|upper|lo|hi)(?: limit)?$/i
const otherValue = {
  test: (name: string) => {
    const w = identifierWords(name).replace(/_/g, ' ').toLowerCase()
    return otherWords.test(w) || rangeEnd.test(w) || /^z\b/.test(w)
  },
}

function tree(text: string): El | undefined {
  const root: El = {
    name: '',
    local: '',
    attributes: new Map(),
    children: [],
    texts: [],
    start: 0,
    end: 0,
  }
  const stack = [root]
  for (const e of markupEvents(text, true)) {
    const top = stack[stack.length - 1] as El
    if (e.kind === 'open') {
      const el: El = {
        name: e.name,
        local: e.name.replace(/^[\w.-]+:/, '').toLowerCase(),
        attributes: e.attributes,
        children: [],
        texts: [],
        start: e.start,
        end: e.end,
      }
      top.children.push(el)
      stack.push(el)
    } else if (e.kind === 'text') {
      if (text.slice(e.start, e.end).trim()) top.texts.push({ start: e.start, end: e.end })
    } else if (stack.length > 1) stack.pop()
  }
  return root.children.find((c) => c.children.length || c.texts.length)
}

/** The trimmed span of an element's own text when it has no child elements. */
function leaf(text: string, el: El | undefined): { start: number; end: number } | undefined {
  if (!el || el.children.length > 0 || el.texts.length !== 1) return undefined
  const t = el.texts[0] as { start: number; end: number }
  const raw = text.slice(t.start, t.end)
  const lead = raw.length - raw.trimStart().length
  return { start: t.start + lead, end: t.start + raw.trimEnd().length }
}

const child = (el: El | undefined, keys: readonly string[]) =>
  el?.children.find((c) => keys.includes(c.local))
/** Where a content item keeps its name, its measured value and the coded value of a modifier,
 * as DICOM SR writes them (PS3.3 C.17.3) and as simpler exports do. */
const conceptKeys = ['concept', 'code', 'conceptname', 'conceptnamecodesequence']
const measuredKeys = ['measuredvaluesequence', 'measuredvalue']
const codedValueKeys = ['conceptcodesequence']

/** A short word as an id ("LV", "RA"): no digits, not a placeholder. */
const isWordId = (v: string) => /^[A-Za-z]{1,12}$/.test(v) && !/^X+$/i.test(v)

/** A number, or a pair of them ("134/80"), alone in an attribute. */
const valueRe = /^\s*[<>]?\s*[-+]?\d+(?:[.,]\d+)?(?:\s*\/\s*\d+(?:[.,]\d+)?)?\s*$/

/**
 * The roles of a measurement element's attributes by shape, in whatever language its attribute
 * names are (<Misura nome="Peso" valore="88" unita="kg"/>): one number, a name of words beside
 * it, perhaps a unit alone. Undefined where the usual names (name, value, unit) say it already.
 */
type AttributeShape = { value: string; name: string; unit?: string } | undefined
type ChildShape = { value: El; name: El; unit?: El } | undefined
// an element's shape is asked for by its name, its qualifiers, its unit and its value: read once
const attributeShapes = new WeakMap<El, AttributeShape>()
const childShapes = new WeakMap<El, ChildShape>()

function attributeShape(el: El): AttributeShape {
  if (!attributeShapes.has(el)) attributeShapes.set(el, readAttributeShape(el))
  return attributeShapes.get(el)
}

function childShape(text: string, el: El): ChildShape {
  if (!childShapes.has(el)) childShapes.set(el, readChildShape(text, el))
  return childShapes.get(el)
}

function readAttributeShape(el: El): AttributeShape {
  // an element with text of its own (<T1Post delayMin="15">480</T1Post>) is the measurement; its
  // attributes say how it was measured
  if (el.texts.length > 0 || el.children.length > 0) return undefined
  const keys = [...el.attributes.keys()]
  if (keys.some((k) => valueKeys.includes(k) || nameKeys.includes(k))) return undefined
  const usable = [...el.attributes].filter(([k]) => !noise.test(k) && !otherValue.test(k))
  const numbers = usable.filter(([, a]) => valueRe.test(a.value))
  if (numbers.length !== 1) return undefined
  const unit = usable.find(([k, a]) => unitKeys.includes(k) || isUnitAlone(a.value))?.[0]
  const name = usable.find(
    ([k, a]) =>
      k !== unit && a.value.length <= 80 && /\p{L}{2}/u.test(a.value) && !valueRe.test(a.value),
  )?.[0]
  if (!name) return undefined
  return { value: (numbers[0] as [string, Attribute])[0], name, ...(unit ? { unit } : {}) }
}

/**
 * A record of leaf children by shape, in whatever language its element names are
 * (<mesure><libelle>Taille</libelle><valeur>177</valeur><unite>cm</unite></mesure>): one number,
 * a name of words, perhaps a unit alone. Undefined where the usual names say it already.
 */
function readChildShape(text: string, el: El): ChildShape {
  if (el.children.length < 2 || el.children.some((c) => c.children.length > 0)) return undefined
  if (el.children.some((c) => valueKeys.includes(c.local) || nameKeys.includes(c.local)))
    return undefined
  const leaves = el.children
    .filter((c) => !noise.test(c.local) && !otherValue.test(c.local))
    .map((c) => ({
      c,
      t: (() => {
        const l = leaf(text, c)
        return l ? text.slice(l.start, l.end) : ''
      })(),
    }))
  const numbers = leaves.filter((x) => valueRe.test(x.t))
  if (numbers.length !== 1) return undefined
  const unit = leaves.find((x) => isUnitAlone(x.t))
  const name = leaves.find(
    (x) => x !== unit && /\p{L}{2}/u.test(x.t) && !valueRe.test(x.t) && x.t.length <= 80,
  )
  if (!name) return undefined
  return {
    value: (numbers[0] as (typeof leaves)[number]).c,
    name: name.c,
    ...(unit ? { unit: unit.c } : {}),
  }
}

/** What names an element: a name-like child (or a concept's meaning), or a name attribute. */
function nameOf(text: string, el: El): Label | undefined {
  const n = child(el, nameKeys) ?? childShape(text, el)?.name
  const span = leaf(text, n)
  if (span) return { text: text.slice(span.start, span.end), ...span }
  // a concept's meaning (DICOM SR: ConceptNameCodeSequence > CodeMeaning)
  const concept = child(el, conceptKeys)
  if (concept) return nameOf(text, concept)
  for (const k of [...nameKeys, attributeShape(el)?.name]) {
    const a = k === undefined ? undefined : el.attributes.get(k)
    if (a && /\p{L}/u.test(a.value)) return { text: a.value, start: a.start, end: a.end }
  }
  return undefined
}

/** Words of an element's other attributes (Structure="LV", view="4CH") that qualify its name. */
function qualifiers(el: El): Label[] {
  const shape = attributeShape(el)
  return [...el.attributes]
    .filter(
      ([k, a]) =>
        !nameKeys.includes(k) &&
        k !== shape?.name &&
        k !== shape?.unit &&
        !isUnitAlone(a.value) &&
        !valueKeys.includes(k) &&
        !unitKeys.includes(k) &&
        // an id of a word ("LV") names a part of the heart, not a person or a record
        (!noise.test(k) || (/^(?:id|code|type)$/i.test(k) && isWordId(a.value))) &&
        /\p{L}/u.test(a.value) &&
        a.value.length <= 40,
    )
    .map(([, a]) => ({ text: a.value, start: a.start, end: a.end }))
}

export function decodeXml(text: string): Rendering {
  const b = new RenderingBuilder(text)
  const root = tree(text)
  const write = (labels: readonly Label[]) =>
    labels.forEach((l, i) => {
      if (i > 0) b.insert(' ', l.start)
      if (l.end > l.start && text.slice(l.start, l.end) === l.text)
        renderMarkupText(b, text, l.start, l.end)
      else b.insert(l.text, l.start, l.end)
    })
  const line = (
    labels: readonly Label[],
    value: { start: number; end: number },
    unit?: { start: number; end: number },
  ) => {
    b.newline(value.start)
    write(labels)
    b.insert(': ', value.start).copy(value.start, value.end)
    if (unit) {
      b.insert(' ', unit.start)
      const word = unitAsRead(text.slice(unit.start, unit.end))
      if (word) b.insert(word, unit.start, unit.end)
      else renderMarkupText(b, text, unit.start, unit.end)
    }
    b.insert('\n', value.end)
    b.statements++
  }
  const unitOf = (el: El, inherited?: { start: number; end: number }) => {
    const u = child(el, unitKeys)
    const span = u
      ? (leaf(text, u) ??
        leaf(text, child(u, ['value', 'code', 'codevalue'])) ??
        leaf(text, child(u, ['meaning'])))
      : undefined
    // a unit attribute by name, or by shape (<Height u="cm">, <Misura unita="kg">)
    const shapeUnit = attributeShape(el)?.unit
    const attr =
      [...unitKeys, ...(shapeUnit ? [shapeUnit] : [])]
        .map((k) => el.attributes.get(k))
        .find(Boolean) ??
      [...el.attributes].find(([k, a]) => !noise.test(k) && isUnitAlone(a.value))?.[1]
    return span ?? (attr ? { start: attr.start, end: attr.end } : inherited)
  }
  const walk = (
    el: El,
    path: Label[],
    unit: { start: number; end: number } | undefined,
    depth: number,
  ) => {
    if (noise.test(el.local)) return
    const name = nameOf(text, el)
    // the element's own name where nothing else names it; qualifiers (region="septum") add to it
    const tag = containers.test(el.local)
      ? []
      : [{ text: identifierWords(el.name), start: el.start, end: el.end }]
    const here = depth === 0 ? [] : [...path, ...(name ? [name] : tag), ...qualifiers(el)]
    let u = unitOf(el, unit)
    // numbers in attributes: value="196" is the element's own, Height_cm="169" names itself
    const shapeValue = attributeShape(el)?.value
    // an element whose own text is its value: its numeric attributes say how it was measured
    const ownText = leaf(text, el)
    const valued = ownText !== undefined && numberRe.test(text.slice(ownText.start, ownText.end))
    for (const [k, a] of el.attributes) {
      const own = valueKeys.includes(k) || k === shapeValue
      if (valued && !own) continue
      if (!(own ? valueRe : numberRe).test(a.value)) continue
      if (noise.test(k) || unitKeys.includes(k) || otherValue.test(k)) continue
      line(
        own ? here : [...here, { text: identifierWords(k), start: a.start, end: a.start }],
        a,
        own ? u : undefined,
      )
    }
    // a record: a value child beside the name
    // a value child with a name of its own (<Value Name="EDV">) is a measurement, not this one's
    const measured = child(el, measuredKeys)
    const shaped = childShape(text, el)
    const valueChild = measured
      ? child(measured, valueKeys)
      : (shaped?.value ?? el.children.find((c) => valueKeys.includes(c.local) && !nameOf(text, c)))
    const valueSpan = leaf(text, valueChild)
    if (measured) u = unitOf(measured, u)
    const shapedUnit = shaped?.unit ? leaf(text, shaped.unit) : undefined
    if (shapedUnit) u = shapedUnit
    if (valueChild && valueSpan && (name || here.length)) {
      const raw = text.slice(valueSpan.start, valueSpan.end)
      if (valueRe.test(raw)) line(here, valueSpan, u)
      else {
        b.newline(valueSpan.start)
        write(here)
        b.insert(': ', valueSpan.start)
        renderMarkupText(b, text, valueSpan.start, valueSpan.end)
        b.insert('\n', valueSpan.end)
      }
    }
    const span = leaf(text, el)
    if (span) {
      const raw = text.slice(span.start, span.end)
      if (numberRe.test(raw)) {
        if (!otherValue.test(el.local)) line(here, span, u)
      } else if (!nameKeys.includes(el.local) && !unitKeys.includes(el.local) && raw.length > 20) {
        b.newline(span.start)
        write(here)
        b.insert(': ', span.start)
        // text laid out in lines (a fixed-width table in CDATA) keeps its lines for the layout stage
        renderMarkupText(b, text, span.start, span.end, /\n[^\n]*\S {3,}\S/.test(raw))
        b.insert('\n', span.end)
      }
    }
    // a modifier among the children (an SR "HAS CONCEPT MOD" item: Finding Site = Left
    // ventricular structure) qualifies the siblings after it
    const modifiers: Label[] = []
    for (const c of el.children) {
      if (c === valueChild && valueSpan) continue
      if (c === measured) continue
      // the children that named this element or gave its unit are read already
      const used = leaf(text, c) !== undefined && c.attributes.size === 0
      if (used && (nameKeys.includes(c.local) || unitKeys.includes(c.local))) continue
      if (shaped && (c === shaped.name || c === shaped.unit)) continue
      if (conceptKeys.includes(c.local) && c === child(el, conceptKeys)) continue
      const coded = child(c, codedValueKeys)
      const meaning = coded && !child(c, measuredKeys) ? nameOf(text, coded) : undefined
      if (meaning) {
        modifiers.push(meaning)
        continue
      }
      walk(c, [...here, ...modifiers], u, depth + 1)
    }
  }
  if (root) walk(root, [], undefined, 0)
  return b.build('xml')
}
