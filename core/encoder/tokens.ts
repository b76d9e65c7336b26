/**
 * The encoder's tokenizer: words, numbers and symbols of a report, each with its place on the page
 * (character column, the gap before it, its line), hashed into ids. Pure, the one implementation:
 * the training set is written by it (`radstruct distill export --format encoder`), so PyTorch never
 * tokenizes and the ids at inference are the ids the model was trained on.
 *
 * Why hashing, not a learned vocabulary: reports arrive in house styles, languages and typos no
 * corpus covers; a word's id plus hashed character trigrams give an unseen spelling ("ejction",
 * "Ejektionsfraktion") most of the pieces of a known one.
 */
import type { ScannedText } from '../text/scan.ts'

/** Ids per token: the word's own hash, then up to `trigramsPerToken` trigram hashes (0 = padding). */
export const trigramsPerToken = 6
export const idsPerToken = 1 + trigramsPerToken
export const wordBuckets = 16384
export const trigramBuckets = 8192
/** Reserved word ids. */
export const padId = 0
export const numberId = 1
export const digitsId = 2
/** Character columns are bucketed by 2 up to this many buckets (a table's columns, an indent). */
export const columnBuckets = 48
/** Gap before a token: none, one space, wider (tab, aligned columns), line break, blank line. */
export const gapKinds = 5

export interface Token {
  /** UTF-16 offsets, start inclusive, end exclusive. */
  start: number
  end: number
  /** Index into scan.numbers when the token is a number mention. */
  mention: number | undefined
  ids: number[]
  column: number
  gap: number
  line: number
}

/** FNV-1a over UTF-16 units. */
function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

const wordCache = new Map<string, number[]>()

function wordIds(raw: string): number[] {
  const w = raw.toLowerCase()
  const cached = wordCache.get(w)
  if (cached) return cached
  const ids = [3 + (hash(w) % (wordBuckets - 3))]
  const padded = `<${w}>`
  const count = Math.max(0, padded.length - 2)
  // long words: trigrams spread evenly over the word, so prefix and suffix both count
  for (let k = 0; k < Math.min(trigramsPerToken, count); k++) {
    const at =
      count <= trigramsPerToken ? k : Math.round((k * (count - 1)) / (trigramsPerToken - 1))
    ids.push(1 + (hash(padded.slice(at, at + 3)) % (trigramBuckets - 1)))
  }
  while (ids.length < idsPerToken) ids.push(padId)
  if (wordCache.size > 50_000) wordCache.clear()
  wordCache.set(w, ids)
  return ids
}

const fixedIds = (id: number) => [id, ...new Array<number>(trigramsPerToken).fill(padId)]

// a run of one symbol is one token ("-------" of a box rule, "......" of a dot leader): runs
// carry layout, not meaning, and would otherwise fill the window
const pieceRe = /\p{L}+|\p{N}+|([^\s\p{L}\p{N}])\1*/gu

/** Tokens of a scanned report, in text order; every number mention is exactly one token. */
export function tokenize(scan: ScannedText): Token[] {
  const { text, numbers } = scan
  const out: Token[] = []
  let line = 0
  let lineStart = 0
  let last = 0
  const push = (start: number, end: number, mention: number | undefined, ids: number[]) => {
    const between = text.slice(last, start)
    const breaks = between.split('\n').length - 1
    if (breaks > 0) {
      line += breaks
      lineStart = text.lastIndexOf('\n', start - 1) + 1
    }
    const gap =
      breaks > 1 ? 4 : breaks === 1 ? 3 : between.length === 0 ? 0 : between === ' ' ? 1 : 2
    const column = Math.min(columnBuckets - 1, (start - lineStart) >> 1)
    out.push({ start, end, mention, ids, column, gap, line })
    last = end
  }
  const gapPieces = (from: number, to: number) => {
    pieceRe.lastIndex = 0
    const segment = text.slice(from, to)
    for (const m of segment.matchAll(pieceRe)) {
      const s = from + m.index
      const isDigits = /^\p{N}+$/u.test(m[0])
      // a run is read as its first three symbols: "--" and "---" differ, longer runs do not
      const piece = m[1] !== undefined ? m[0].slice(0, 3) : m[0]
      push(s, s + m[0].length, undefined, isDigits ? fixedIds(digitsId) : wordIds(piece))
    }
  }
  let cursor = 0
  for (const [i, n] of numbers.entries()) {
    gapPieces(cursor, n.start)
    push(n.start, n.end, i, fixedIds(numberId))
    cursor = n.end
  }
  gapPieces(cursor, text.length)
  return out
}

export interface Window {
  /** First token (inclusive) and last (exclusive) of the window. */
  from: number
  to: number
}

/**
 * How a long report is cut into windows. `balanced` (models exported since 2026-12): as few
 * windows as fit, each only as wide as they need to be, so 389 tokens are two windows of 227
 * (454 positions to encode), not two of 256 that overlap by 123 (512). `fixed`: full windows,
 * the last one ending at the report's end (how earlier models were trained, and so read).
 */
export type WindowPolicy = 'balanced' | 'fixed'

/**
 * Overlapping windows over a token sequence: at most `size` tokens each, overlapping by at least
 * `overlap`. Every token is scored in the window where it sits furthest from an edge (`ownerOf`).
 */
export function windows(
  count: number,
  size: number,
  overlap: number,
  policy: WindowPolicy = 'balanced',
): Window[] {
  if (count <= size) return [{ from: 0, to: count }]
  const n = Math.ceil((count - overlap) / (size - overlap))
  const width = policy === 'balanced' ? Math.ceil((count + (n - 1) * overlap) / n) : size
  const stride = width - overlap
  const out: Window[] = []
  for (let i = 0; i < n; i++) {
    const to = Math.min(count, i * stride + width)
    out.push({ from: to - width, to })
  }
  return out
}

/** The window in which token t is furthest from a window edge. */
export function ownerOf(ws: readonly Window[], t: number): number {
  let best = 0
  let bestMargin = -1
  for (const [i, w] of ws.entries()) {
    if (t < w.from || t >= w.to) continue
    const margin = Math.min(t - w.from, w.to - 1 - t)
    if (margin > bestMargin) {
      bestMargin = margin
      best = i
    }
  }
  return best
}
