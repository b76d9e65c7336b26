/**
 * Grounding of fields stated in words: a category by its keywords ("dilated cardiomyopathy" ->
 * DCM), a label's status by its mentions and the negation or hedging around them ("no
 * pneumothorax", "the mediastinum is not widened", "possible consolidation").
 */
import type { FieldValue } from '../../schemas/record.ts'
import type { CategoryField, LabelField, Task } from '../../schemas/task.ts'
import { lexiconLabels } from '../evaluation/lexicon-attribution.ts'
import { readCategory } from '../text/category-reading.ts'
import { foldedOf, type ReadText, scopeMentions, textOf } from '../text/mentions.ts'
import { phraseRegex } from '../text/scan.ts'
import { readableText } from '../text/sections.ts'
import type { Grounding, Span } from './grounding.ts'

const keywordCache = new WeakMap<CategoryField, Map<string, RegExp | undefined>>()

function firstMatch(re: RegExp | undefined, folded: string): Span | undefined {
  if (!re) return undefined
  re.lastIndex = 0
  const m = re.exec(folded)
  return m ? { start: m.index, end: m.index + m[0].length } : undefined
}

/**
 * Category grounding: with a `reading`, agreement with the rule reading of the report (a value
 * that contradicts an explicit reading scores low, the more so the more explicit); otherwise the
 * chosen value's keywords in the text, or another value's.
 */
export function groundCategory(
  f: CategoryField,
  value: FieldValue,
  text: ReadText,
  task?: Task,
): Grounding | undefined {
  if (f.reading && task) {
    // the readable sections: the scan itself where it holds no others (an extraction's scan)
    const readable = readableText(textOf(text), task.input.sections ?? [])
    const r = readCategory(task, f, readable === textOf(text) ? text : readable)
    if (!r) return undefined
    // agreeing with a reading that found nothing to read is no support
    if (String(r.value) === String(value)) return r.span ? { score: 1, span: r.span } : { score: 0 }
    return { score: r.strength >= 3 ? 0.1 : r.strength >= 2 ? 0.2 : r.strength >= 1 ? 0.4 : 0.6 }
  }
  if (Object.keys(f.keywords).length === 0) return undefined
  let regexes = keywordCache.get(f)
  if (!regexes) {
    regexes = new Map(Object.entries(f.keywords).map(([k, words]) => [k, phraseRegex(words)]))
    keywordCache.set(f, regexes)
  }
  const folded = foldedOf(text)
  const others = [...regexes].filter(([k, re]) => k !== String(value) && firstMatch(re, folded))
  // null means "no conclusion stated": a named diagnosis says otherwise
  if (value === null) return { score: others.length ? 0.2 : 0.9 }
  const own = firstMatch(regexes.get(String(value)), folded)
  if (own) return { score: 1, span: own }
  // a value without words of its own ("other") is supported by nothing in the text
  if (!regexes.has(String(value))) return { score: others.length ? 0 : 0.5 }
  return { score: others.length ? 0.3 : 0.6 }
}

/** The status each mention of a label states (core/text/mentions.ts), with its span. */
export function labelMentions(
  task: Task,
  f: LabelField,
  text: ReadText,
): { status: string; span: Span }[] {
  const li = task.fields.filter((x) => x.kind === 'label').indexOf(f)
  return scopeMentions(task, text)
    .mentions.filter((m) => m.label === li)
    .map((m) => ({ status: m.status, span: { start: m.start, end: m.end } }))
}

/** Label grounding: a mention with the recorded status, or none for a null. A derived label (No
 * Finding) is grounded when the scoped mentions lead to the same value by its rule: "old healed
 * rib fractures" leaves No Finding unset whatever the impression's "no acute process" says. */
export function groundLabel(
  task: Task,
  f: LabelField,
  value: FieldValue,
  text: ReadText,
): Grounding | undefined {
  if (f.positiveWhenNone)
    return { score: (lexiconLabels(task, text)[f.key] ?? null) === value ? 1 : 0.1 }
  if (f.aliases.length === 0 && f.states.length === 0) return undefined
  const found = labelMentions(task, f, text)
  if (value === null) return found[0] ? { score: 0.4, span: found[0].span } : { score: 1 }
  const same = found.find((x) => x.status === value)
  if (same) return { score: 1, span: same.span }
  // a status no mention states is not supported; against every mention it is contradicted
  if (found.length === 0) return { score: 0 }
  const stated = new Set(found.map((x) => x.status))
  return {
    score: 0.3,
    span: (found[0] as (typeof found)[number]).span,
    contradicts: stated.size === 1,
  }
}
