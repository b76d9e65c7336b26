/**
 * The text the screen reads: NFKC (full-width colons and letters become ASCII), look-alike
 * letters from Cyrillic and Greek folded to Latin, and invisible characters removed, so that
 * "Pаtient：" (a Cyrillic a, a full-width colon) or "Pa\u200btient" reads as "Patient:". Every
 * character of the result remembers where it came from, so findings point into the original.
 */

// zero-width spaces and joiners, direction marks, word joiner, BOM, soft hyphen, the combining
// grapheme joiner, Mongolian vowel separator
const invisible = new Set([
  0x00ad, 0x034f, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063,
  0x2064, 0xfeff,
])

// Latin look-alikes (Unicode's confusables for the letters that spell labels and names)
const confusable: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ү: 'y',
  һ: 'h',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Ԛ: 'Q',
  Ԝ: 'W',
  Ү: 'Y',
  Һ: 'H',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  ο: 'o',
  ι: 'i',
  α: 'a',
  ρ: 'p',
  κ: 'k',
  ν: 'v',
  υ: 'u',
  χ: 'x',
  ı: 'i',
  ℓ: 'l',
}

export interface Normalised {
  text: string
  /** Original offset where each character of `text` starts, and where it ends; absent when the
   * text is the original (plain ASCII: nothing to fold, so every offset is its own). */
  from?: Int32Array
  to?: Int32Array
}

// anything but printable ASCII, tab and line breaks takes the slow path
const special = /[^\t\n\r -~]/

// what each non-ASCII character becomes (NFKC, then folded; '' for an invisible one), remembered:
// a report's few distinct accented letters are looked up once each
const folded = new Map<string, string>()
function fold(ch: string): string {
  let f = folded.get(ch)
  if (f === undefined) {
    f = invisible.has(ch.codePointAt(0) ?? 0)
      ? ''
      : [...ch.normalize('NFKC')].map((c) => confusable[c] ?? c).join('')
    if (folded.size < 8192) folded.set(ch, f)
  }
  return f
}

export function normalise(original: string): Normalised {
  // most reports are plain ASCII: nothing to fold, and no offset table to build
  if (!special.test(original)) return { text: original }
  // runs of characters that stay as they are (ASCII, and letters such as é that NFKC keeps) are
  // copied whole; an offset table is built only once a character changes its length
  let text = ''
  let from: Int32Array | undefined
  let to: Int32Array | undefined
  let n = 0
  const map = (start: number, end: number, count: number) => {
    if (!from || !to) return
    if (n + count > from.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(2 * (n + count))
        b.set(a)
        return b
      }
      from = grow(from)
      to = grow(to)
    }
    for (let k = 0; k < count; k++) {
      from[n] = start
      to[n++] = end
    }
  }
  let run = 0
  const flush = (end: number) => {
    text += original.slice(run, end)
    if (from) for (let k = run; k < end; k++) map(k, k + 1, 1)
    else n += end - run
  }
  for (let i = 0; i < original.length; i++) {
    if (original.charCodeAt(i) < 128) continue
    const cp = original.codePointAt(i) ?? 0
    const ch = String.fromCodePoint(cp)
    const f = fold(ch)
    if (f === ch) {
      i += ch.length - 1
      continue
    }
    flush(i)
    if (!from && f.length !== ch.length) {
      // the first change of length: every character so far was its own origin
      from = new Int32Array(original.length + 16)
      to = new Int32Array(original.length + 16)
      for (let k = 0; k < n; k++) {
        from[k] = k
        to[k] = k + 1
      }
    }
    if (from) map(i, i + ch.length, f.length)
    else n += f.length
    text += f
    i += ch.length - 1
    run = i + 1
  }
  flush(original.length)
  return from && to ? { text, from: from.subarray(0, n), to: to.subarray(0, n) } : { text }
}

/** The original span of normalised characters [start, end). */
export function originalSpan(n: Normalised, start: number, end: number): [number, number] {
  if (!n.from || !n.to) return [start, Math.max(start, end)]
  if (n.from.length === 0) return [0, 0]
  const s = n.from[Math.min(start, n.from.length - 1)] ?? 0
  const e = end > 0 ? (n.to[Math.min(end, n.to.length) - 1] ?? s) : s
  return [s, Math.max(s, e)]
}
