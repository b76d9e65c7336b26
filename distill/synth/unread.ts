/**
 * Renderings made to be unread: a labelled report rewritten so that the reader cannot read it,
 * its gold unchanged (the values are still stated, in a form the reader does not know). They fit
 * and test the coverage signals (core/scoring/coverage.ts): confidence must fall where the reading
 * failed, whatever the reading got right. Each kind breaks one thing a reader relies on:
 * - invented-words: every word replaced by a word of a language nobody knows (units kept);
 * - unknown-delimiters: cells and lines separated by characters no format uses;
 * - invented-markup: each line wrapped in tags of an invented markup, label and value apart;
 * - scrambled-sections: the blocks of the report in a shuffled order;
 * - unlabelled-numbers: the numbers and their units alone, one per line;
 * - detached-values: the labels of every measurement line as one block, then the values.
 */
import { rng } from '../../core/random.ts'

export const unreadKinds = [
  'invented-words',
  'unknown-delimiters',
  'invented-markup',
  'scrambled-sections',
  'unlabelled-numbers',
  'detached-values',
] as const
export type UnreadKind = (typeof unreadKinds)[number]

/** Unit words kept after a number: without them no reader, human or machine, could tell a
 * volume from a mass either. */
const unitWords = new Set(
  'ml ml/m2 ml/m² l l/min l/min/m2 min g g/m2 g/m² kg cm mm m m2 m² cm2 cm² cm/m2 mm/m2 ms bpm mmhg in lb lbs cc cm3 s'.split(
    ' ',
  ),
)

const wordRe = /\p{L}[\p{L}\p{M}'’]*/gu
const numberRe = /[-+]?\d+(?:[.,]\d+)?/

/** A word of an invented language, the same for the same word within one report. */
function inventedWord(word: string, seed: number): string {
  let h = seed >>> 0
  for (const ch of word.toLowerCase()) h = Math.imul(h ^ (ch.codePointAt(0) as number), 16777619)
  const r = rng(h >>> 1)
  const onsets = ['b', 'd', 'k', 'v', 'z', 'th', 'gr', 'sk', 'm', 'n', 'w', 'y', 'qu', 'x']
  const nuclei = ['a', 'o', 'u', 'ei', 'ua', 'y', 'oe', 'i']
  const syllables = Math.max(1, Math.min(4, Math.round(word.length / 3)))
  let out = ''
  for (let i = 0; i < syllables; i++)
    out +=
      (onsets[Math.floor(r() * onsets.length)] as string) +
      (nuclei[Math.floor(r() * nuclei.length)] as string)
  if (r() < 0.5) out += 'r'
  return /^\p{Lu}/u.test(word) ? out[0]?.toUpperCase() + out.slice(1) : out
}

function isUnitAfterNumber(text: string, start: number, word: string): boolean {
  if (!unitWords.has(word.toLowerCase())) return false
  return /\d\s{0,2}$/.test(text.slice(Math.max(0, start - 3), start))
}

function inventedWords(text: string, seed: number): string {
  return text.replace(wordRe, (w, offset: number) =>
    isUnitAfterNumber(text, offset, w) || /^mL$|^%$/.test(w) ? w : inventedWord(w, seed),
  )
}

function unknownDelimiters(text: string): string {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) =>
      l
        .trim()
        .replace(/\s*(?:\.{3,}|:|=|\||\t|\s{2,})\s*/g, '¤')
        .replace(/\s+(?=\d)/g, '¤'),
    )
    .join(' ‡ ')
}

/** Label, value and the rest of a line with a number; undefined without one. */
function splitMeasurement(line: string) {
  const m = numberRe.exec(line)
  if (!m || m.index === 0) return undefined
  return {
    label: line.slice(0, m.index).trim(),
    value: m[0],
    rest: line.slice(m.index + m[0].length).trim(),
  }
}

function inventedMarkup(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  const rows = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const m = splitMeasurement(l)
      if (!m) return `<zq:t>${esc(l.trim())}</zq:t>`
      return `<zq:r><zq:k>${esc(m.label)}</zq:k><zq:v zq:x="${esc(m.rest)}">${m.value}</zq:v></zq:r>`
    })
  return `<zq:doc zq:v="3">${rows.join('')}</zq:doc>`
}

function shuffle<T>(items: T[], seed: number): T[] {
  const r = rng(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

function scrambledSections(text: string, seed: number): string {
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim())
  // a report of one block is scrambled by its lines
  const parts = blocks.length > 2 ? blocks : text.split('\n').filter((l) => l.trim())
  return shuffle(parts, seed).join(blocks.length > 2 ? '\n\n' : '\n')
}

function unlabelledNumbers(text: string): string {
  const out: string[] = []
  const re = /(\d+(?:[.,]\d+)?(?:\/\d+(?:[.,]\d+)?)?)\s?(%|[a-zA-Z²/0-9]+)?/g
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(re)) {
      const unit = m[2] && (unitWords.has(m[2].toLowerCase()) || m[2] === '%') ? ` ${m[2]}` : ''
      out.push(`${m[1]}${unit}`)
    }
  }
  return out.join('\n')
}

function detachedValues(text: string): string {
  const labels: string[] = []
  const values: string[] = []
  const other: string[] = []
  for (const line of text.split('\n')) {
    const m = splitMeasurement(line)
    if (m && /\p{L}/u.test(m.label)) {
      labels.push(m.label.replace(/[.:=\s]+$/, ''))
      values.push(`${m.value} ${m.rest}`.trim())
    } else if (line.trim()) other.push(line)
  }
  return [...other, '', ...labels, '', ...values].join('\n')
}

/** The report rendered so that its reader fails in one specific way. Seeded per report. */
export function renderUnread(kind: UnreadKind, text: string, seed: number): string {
  switch (kind) {
    case 'invented-words':
      return inventedWords(text, seed)
    case 'unknown-delimiters':
      return unknownDelimiters(text)
    case 'invented-markup':
      return inventedMarkup(text)
    case 'scrambled-sections':
      return scrambledSections(text, seed)
    case 'unlabelled-numbers':
      return unlabelledNumbers(text)
    case 'detached-values':
      return detachedValues(text)
  }
}
