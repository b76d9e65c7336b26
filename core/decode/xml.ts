/**
 * XML exports of post-processing tools (a cvi42-style measurement tree): a number in an element's
 * text or in a value attribute becomes "group names, name: value unit", its label the element
 * path (names split at camel case) or a name/label attribute; units from a unit attribute.
 * Comments, the declaration and CDATA narrative are text; the tree is read with htmlparser2 in
 * XML mode, offsets kept.
 */
import { type MarkupEvent, markupEvents, renderMarkupText } from './markup-events.ts'
import { type Rendering, RenderingBuilder } from './rendering.ts'

export function looksLikeXml(text: string): boolean {
  return (
    /^\ufeff?\s*(?:<\?xml\b|<!DOCTYPE\s+(?!html)|<[A-Za-z_][\w:.-]*[\s>])/i.test(text) &&
    !/^\s*<(?:!doctype html|html)\b/i.test(text)
  )
}

const numberRe = /^\s*[<>]?\s*[-+]?\d+(?:[.,]\d+)?\s*$/
const nameAttrs = ['name', 'label', 'title', 'type', 'parameter', 'measure', 'id', 'code']
const valueAttrs = ['value', 'val', 'v', 'result', 'amount', 'mean']
const unitAttrs = ['unit', 'units', 'uom', 'unitcode']
/** Element names that group the measurements, not name them. */
const containers =
  /^(?:\w+:)?(?:measurements?|results?|values?|data|items?|parameters?|report|export|root|study|series|document|body|section|group|list)$/i

interface Frame {
  name: string
  /** The open tag's span: where a label made of the element's name points. */
  start: number
  end: number
  label: { text: string; start: number; end: number } | undefined
  unit: { start: number; end: number } | undefined
  texts: { start: number; end: number }[]
  children: number
  depth: number
}

/** Attributes that carry identity, provenance or format, never a measurement's name. */
const noiseAttrs =
  /^(?:xmlns(?::.*)?|xml:.*|vendor|app|application|software|version|schema\w*|encoding|id|uid|guid|dob|birth\w*|date|time|datetime|timestamp|created|modified|mrn|patient\w*|accession\w*|operator|physician|sex|gender|age\w*)$/i

const words = (tag: string) => tag.replace(/^\w+:/, '').replace(/([a-z])([A-Z])/g, '$1 $2')

export function decodeXml(text: string): Rendering {
  const events: MarkupEvent[] = markupEvents(text, true)
  const b = new RenderingBuilder(text)
  const stack: Frame[] = []
  const labelsOf = (frames: readonly Frame[]) =>
    frames
      // the root names the export, not the measurement
      .filter((f) => f.depth > 0 && (f.label || !containers.test(f.name)))
      .map((f) => f.label ?? { text: words(f.name), start: f.start, end: f.end })
  const line = (
    frames: readonly Frame[],
    value: { start: number; end: number },
    unit: Frame['unit'],
  ) => {
    b.newline(value.start)
    labelsOf(frames).forEach((l, i) => {
      if (i > 0) b.insert(' ', l.start)
      const written = text.slice(l.start, l.end)
      if (l.end > l.start && written === l.text) b.copy(l.start, l.end)
      else b.insert(l.text, l.start, l.end)
    })
    b.insert(': ', value.start).copy(value.start, value.end)
    if (unit) {
      b.insert(' ', unit.start)
      renderMarkupText(b, text, unit.start, unit.end)
    }
    b.insert('\n', value.end)
    b.statements++
  }
  for (const e of events) {
    if (e.kind === 'open') {
      const parent = stack[stack.length - 1]
      if (parent) parent.children++
      // words that qualify the element (Name="EDV", Structure="LV", view="4CH") label it
      const qualifiers = [...e.attributes].filter(
        ([k, a]) =>
          !valueAttrs.includes(k) &&
          !unitAttrs.includes(k) &&
          !noiseAttrs.test(k) &&
          /\p{L}/u.test(a.value) &&
          a.value.length <= 40,
      )
      qualifiers.sort(([a], [b]) => Number(!nameAttrs.includes(a)) - Number(!nameAttrs.includes(b)))
      const unitAttr = unitAttrs.map((a) => e.attributes.get(a)).find(Boolean)
      const first = qualifiers[0]?.[1]
      const frame: Frame = {
        name: e.name,
        start: e.start,
        end: e.end,
        label: first
          ? {
              text: qualifiers.map(([, a]) => a.value).join(' '),
              start: first.start,
              end: (qualifiers[qualifiers.length - 1]?.[1] ?? first).end,
            }
          : undefined,
        unit: unitAttr ? { start: unitAttr.start, end: unitAttr.end } : parent?.unit,
        texts: [],
        children: 0,
        depth: stack.length,
      }
      stack.push(frame)
      for (const [k, a] of e.attributes) {
        if (!numberRe.test(a.value) || noiseAttrs.test(k) || unitAttrs.includes(k)) continue
        // a reference range's ends, a z-score, a percentile: not this exam's measurement
        if (
          /range|low|high|min|max|ref|normal|lower|upper|^sd$|^z|percentile|prior|previous/i.test(k)
        )
          continue
        // value="196" is the element's own; Height_cm="169" names itself
        const own = valueAttrs.includes(k)
        const named: Frame = {
          ...frame,
          label: { text: words(k), start: a.start, end: a.start },
          depth: frame.depth + 1,
        }
        line(own ? stack : [...stack, named], a, own ? frame.unit : undefined)
      }
    } else if (e.kind === 'text') {
      const top = stack[stack.length - 1]
      if (top && text.slice(e.start, e.end).trim()) top.texts.push({ start: e.start, end: e.end })
    } else {
      const top = stack.pop()
      if (!top || top.texts.length === 0) continue
      const first = top.texts[0] as { start: number; end: number }
      const raw = text.slice(first.start, first.end)
      if (top.texts.length === 1 && numberRe.test(raw)) {
        const lead = raw.length - raw.trimStart().length
        const value = { start: first.start + lead, end: first.start + raw.trimEnd().length }
        line([...stack, top], value, top.unit)
      } else {
        // narrative: a findings or conclusion element
        b.newline(first.start)
        const label = top.label?.text ?? words(top.name)
        b.insert(`${label}: `, first.start)
        for (const t of top.texts) renderMarkupText(b, text, t.start, t.end)
        b.insert('\n', first.start)
      }
    }
  }
  return b.build('xml')
}
