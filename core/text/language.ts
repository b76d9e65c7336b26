/**
 * What a report is written in, and how much of its wording a task can read: the script of its
 * letters, its language (franc-min's trigram models, offline) and the share of its words that the
 * task's own phrases or the served languages' function words (stopwords-iso) account for. These
 * speak about the reading, not about any value: text in a language nobody taught the task is
 * unread however sure its model is.
 */
import { francAll } from 'franc-min'
import stopwordsIso from 'stopwords-iso/stopwords-iso.json' with { type: 'json' }
import type { Task } from '../../schemas/task.ts'

/** ISO 639-1 (the task file's codes) to ISO 639-3 (franc's). */
const iso3: Record<string, string> = {
  en: 'eng',
  de: 'deu',
  nl: 'nld',
  fr: 'fra',
  it: 'ita',
  es: 'spa',
  pt: 'por',
  sv: 'swe',
  pl: 'pol',
  da: 'dan',
  ja: 'jpn',
  zh: 'cmn',
  ko: 'kor',
}
/** The languages the students' corpora are written in: the function words a task without a
 * `languages` list is read with. */
const corpusLanguages = ['en', 'de', 'nl', 'fr', 'it', 'es', 'pt']
const iso1 = Object.fromEntries(Object.entries(iso3).map(([a, b]) => [b, a]))

export interface LanguageReading {
  /** ISO 639-1 code where known (639-3 otherwise) of the text's language; null: too little text. */
  language: string | null
  /** The task serves that language (true when the task names no languages or the text is short). */
  served: boolean
  /** Letters in a script other than Latin (Han, kana, Hangul, Cyrillic, ...): share of all letters. */
  foreignScript: number
  /** The foreign script most letters are in, when there is one. */
  script: string | null
  /** Words of two letters or more. */
  words: number
  /** Share of those words the task's phrases or a served language's function words account for. */
  knownShare: number
}

/** Below this many words the language is not judged (a table of abbreviations has no grammar). */
const minWordsForLanguage = 15
/** A served language scoring within this share of the best one counts as the text's language:
 * franc's scores of close languages differ by 1-3 % on clinical text full of shared terms. */
const servedMargin = 0.95
/** Known-word share above which a text is taken as written in a served language without asking
 * franc: the samples and real chest X-ray reports sit at 0.65-0.9, Swedish and Polish prose and
 * invented words under 0.35. */
const servedWords = 0.6
/** Known-word share under which a text franc places outside the served languages is not taken
 * for a close served one (Danish for Dutch, invented words for Portuguese). */
const wordsOfServed = 0.5

const scripts: [string, RegExp][] = [
  ['Japanese', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Han', /\p{Script=Han}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
]
const letterRe = /\p{L}/gu
const nonLatinLetterRe = /[^\P{L}\p{Script=Latin}]/gu
const wordRe = /\p{L}{2,}/gu

/** A word as the known-word list holds it: lower case, accents off. */
function normWord(w: string): string {
  const l = w.toLowerCase()
  return /[^ -~]/.test(l) ? l.normalize('NFD').replace(/\p{M}/gu, '') : l
}

const knownWordsOf = new WeakMap<Task, Set<string>>()

/** Every word of the task's own phrases (vocabulary, cues, aliases, keywords), folded, plus the
 * function words of the languages it serves. Built once per task. */
function knownWords(task: Task): Set<string> {
  let known = knownWordsOf.get(task)
  if (known) return known
  known = new Set()
  const add = (s: string) => {
    for (const w of s.match(wordRe) ?? []) known?.add(normWord(w))
  }
  const walk = (x: unknown, key: string) => {
    // descriptions and titles are prose about the task, not words a report uses
    if (key === 'description' || key === 'title' || key === 'fittedOn') return
    if (typeof x === 'string') add(x)
    else if (Array.isArray(x)) for (const v of x) walk(v, key)
    else if (x && typeof x === 'object')
      for (const [k, v] of Object.entries(x)) {
        add(k)
        walk(v, k)
      }
  }
  walk(task.vocabulary, '')
  walk(task.distractorCues, '')
  for (const f of task.fields) walk(f, '')
  const lists = stopwordsIso as Record<string, string[]>
  for (const lang of task.languages ?? corpusLanguages) for (const w of lists[lang] ?? []) add(w)
  knownWordsOf.set(task, known)
  return known
}

export function readLanguage(task: Task, text: string): LanguageReading {
  // one pass of a regex each, not a test per character: most reports have no foreign letter
  const letters = text.match(letterRe)?.length ?? 0
  const foreign = new Map<string, number>()
  for (const ch of text.match(nonLatinLetterRe) ?? []) {
    const name = scripts.find(([, re]) => re.test(ch))?.[0] ?? 'other'
    foreign.set(name, (foreign.get(name) ?? 0) + 1)
  }
  let script: string | null = null
  let foreignLetters = 0
  for (const [name, n] of foreign) {
    foreignLetters += n
    if (script === null || n > (foreign.get(script) ?? 0)) script = name
  }
  // kana beside Han is Japanese
  if (script === 'Han' && foreign.has('Japanese')) script = 'Japanese'
  const foreignScript = letters ? foreignLetters / letters : 0

  const words = text.match(wordRe) ?? []
  const known = knownWords(task)
  let hits = 0
  for (const w of words) if (known.has(normWord(w))) hits++
  const knownShare = words.length ? hits / words.length : 1

  const served = new Set((task.languages ?? []).map((l) => iso3[l] ?? l))
  let language: string | null = null
  let isServed = true
  if (foreignScript > 0.3) {
    language = script === 'Japanese' ? 'ja' : script === 'Hangul' ? 'ko' : (script ?? 'und')
    isServed = served.size === 0 || served.has(iso3[language] ?? language)
  } else {
    const long = text.match(/\p{L}{3,}/gu) ?? []
    // text whose words the served languages mostly account for is in one of them: franc asks
    // only which (a tenth of the time), every language only where they do not (about 1 ms)
    const inServed = knownShare >= servedWords && served.size > 0
    if (long.length >= minWordsForLanguage) {
      // franc reads at most 2,048 characters: the first 300 words are plenty
      const sample = long.slice(0, 300).join(' ')
      const ranked = inServed ? francAll(sample, { only: [...served] }) : francAll(sample)
      const top = ranked[0]
      if (top && top[0] !== 'und') {
        language = iso1[top[0]] ?? top[0]
        if (served.size > 0 && !served.has(top[0])) {
          const best = ranked.find(([code]) => served.has(code))
          // a close served language counts only where its words account for the text
          isServed =
            best !== undefined && best[1] >= servedMargin * top[1] && knownShare >= wordsOfServed
          if (isServed && best) language = iso1[best[0]] ?? best[0]
        }
      }
    }
  }
  return {
    language,
    served: isServed,
    foreignScript,
    script,
    words: words.length,
    knownShare,
  }
}
