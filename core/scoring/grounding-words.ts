/**
 * Grounding of fields stated in words: a category by its keywords ("dilated cardiomyopathy" ->
 * DCM), a label's status by its mentions and the negation or hedging around them ("no
 * pneumothorax", "the mediastinum is not widened", "possible consolidation").
 */
import type { FieldValue } from '../../schemas/record.ts'
import type { CategoryField, LabelField, Task } from '../../schemas/task.ts'
import { foldText, lowerBound, phraseRegex } from '../text/scan.ts'
import type { Grounding, Span } from './grounding.ts'

// Every word field of a report reads the same folded text: fold it once, not once per field.
let lastText: string | undefined
let lastFolded = ''
function foldedReport(text: string): string {
  if (text !== lastText) {
    lastText = text
    lastFolded = foldText(text)
  }
  return lastFolded
}

const keywordCache = new WeakMap<CategoryField, Map<string, RegExp | undefined>>()

function firstMatch(re: RegExp | undefined, folded: string): Span | undefined {
  if (!re) return undefined
  re.lastIndex = 0
  const m = re.exec(folded)
  return m ? { start: m.index, end: m.index + m[0].length } : undefined
}

/** Category grounding: the chosen value's keywords in the text, or another value's. */
export function groundCategory(
  f: CategoryField,
  value: FieldValue,
  text: string,
): Grounding | undefined {
  if (Object.keys(f.keywords).length === 0) return undefined
  let regexes = keywordCache.get(f)
  if (!regexes) {
    regexes = new Map(Object.entries(f.keywords).map(([k, words]) => [k, phraseRegex(words)]))
    keywordCache.set(f, regexes)
  }
  const folded = foldedReport(text)
  const others = [...regexes].filter(([k, re]) => k !== String(value) && firstMatch(re, folded))
  // null means "no conclusion stated": a named diagnosis says otherwise
  if (value === null) return { score: others.length ? 0.2 : 0.9 }
  const own = firstMatch(regexes.get(String(value)), folded)
  if (own) return { score: 1, span: own }
  if (!regexes.has(String(value))) return { score: others.length ? 0.4 : 0.9 }
  return { score: others.length ? 0.3 : 0.6 }
}

interface StatusMatchers {
  negativeBefore: RegExp | undefined
  uncertainBefore: RegExp | undefined
  negativeAfter: RegExp | undefined
  uncertainAfter: RegExp | undefined
}

const statusCache = new WeakMap<Task, StatusMatchers>()
const aliasCache = new WeakMap<LabelField, RegExp>()

function statusMatchers(task: Task): StatusMatchers {
  let m = statusCache.get(task)
  if (!m) {
    const c = task.statusCues
    m = {
      negativeBefore: phraseRegex(c?.negative ?? []),
      uncertainBefore: phraseRegex(c?.uncertain ?? []),
      negativeAfter: phraseRegex(c?.negativeAfter ?? []),
      uncertainAfter: phraseRegex(c?.uncertainAfter ?? []),
    }
    statusCache.set(task, m)
  }
  return m
}

const test = (re: RegExp | undefined, s: string) => firstMatch(re, s) !== undefined

// where a sentence ends after a mention: ". " (or a final "."), or a blank line
const stopRe = /\.(\s|$)|\n\n/g

let lastBoundsText: string | undefined
let lastBounds = { periods: [] as number[], blanks: [] as number[] }
/** Offsets of every ". " and blank line of a folded report, once per report (not per mention). */
function boundaries(folded: string) {
  if (folded !== lastBoundsText) {
    const periods: number[] = []
    const blanks: number[] = []
    for (let i = folded.indexOf('. '); i >= 0; i = folded.indexOf('. ', i + 1)) periods.push(i)
    for (let i = folded.indexOf('\n\n'); i >= 0; i = folded.indexOf('\n\n', i + 1)) blanks.push(i)
    lastBoundsText = folded
    lastBounds = { periods, blanks }
  }
  return lastBounds
}

/** The status each mention of a label states, from the cues before and after it in its sentence. */
export function labelMentions(
  task: Task,
  f: LabelField,
  text: string,
): { status: string; span: Span }[] {
  let re = aliasCache.get(f)
  if (!re) {
    re = phraseRegex(f.aliases) as RegExp
    aliasCache.set(f, re)
  }
  const cues = statusMatchers(task)
  const folded = foldedReport(text)
  const out: { status: string; span: Span }[] = []
  const { periods, blanks } = boundaries(folded)
  for (const m of folded.matchAll(re)) {
    const end = m.index + m[0].length
    // the last ". " and blank line starting at or before the mention (as lastIndexOf would find)
    const lastAt = (xs: number[]) => xs[lowerBound(xs, m.index + 1) - 1] ?? -1
    const sentenceStart = Math.max(lastAt(periods) + 1, lastAt(blanks) + 1, 0)
    stopRe.lastIndex = end
    const stop = stopRe.exec(folded)
    const before = folded.slice(sentenceStart, m.index)
    const after = folded.slice(end, stop ? stop.index : folded.length)
    const status =
      test(cues.negativeBefore, before) || test(cues.negativeAfter, after)
        ? 'negative'
        : test(cues.uncertainBefore, before) || test(cues.uncertainAfter, after)
          ? 'uncertain'
          : 'positive'
    out.push({ status, span: { start: m.index, end } })
  }
  return out
}

/** Label grounding: a mention with the recorded status, or none for a null. */
export function groundLabel(
  task: Task,
  f: LabelField,
  value: FieldValue,
  text: string,
): Grounding | undefined {
  if (f.aliases.length === 0) return undefined
  const found = labelMentions(task, f, text)
  if (value === null) return found[0] ? { score: 0.4, span: found[0].span } : { score: 1 }
  const same = found.find((x) => x.status === value)
  if (same) return { score: 1, span: same.span }
  return { score: found.length ? 0.3 : 0.2 }
}
