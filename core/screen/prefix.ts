/**
 * The literal text every match of a small regular-expression source starts with, so that one
 * alternation of plain words can find where any of hundreds of labels may stand (V8 runs a
 * word-boundary alternation of literals many times faster than one of the full patterns), and the
 * full pattern is tried only there.
 * Understands what the lexicon uses: literal characters, escaped punctuation, \s (a space or a
 * tab), character classes without ranges, groups with alternatives, and the quantifiers ?, *, +
 * and {n,m}; anything else ends a prefix.
 */

// a prefix this long tells labels apart well enough; longer ones only multiply the alternatives
const enough = 8

/** The closing parenthesis of the group opening at `i`. */
function groupEnd(src: string, i: number): number {
  let depth = 0
  for (let j = i; j < src.length; j++) {
    const c = src[j]
    if (c === '\\') j++
    else if (c === '[') j = src.indexOf(']', j)
    else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return j
  }
  throw new Error(`unbalanced group in ${src}`)
}

/** Top-level alternatives of a source. */
function branches(src: string): string[] {
  const out: string[] = []
  let depth = 0
  let from = 0
  for (let j = 0; j < src.length; j++) {
    const c = src[j]
    if (c === '\\') j++
    else if (c === '[') j = src.indexOf(']', j)
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, j))
      from = j + 1
    }
  }
  out.push(src.slice(from))
  return out
}

/** The atom starting at `i`: its literal characters (undefined: not literal), and where it ends. */
function atomAt(src: string, i: number): { chars?: string[]; group?: string[]; end: number } {
  const c = src[i] as string
  if (c === '\\') {
    const e = src[i + 1] ?? ''
    // a label's white space is a space or a tab (labels do not run over lines)
    if (e === 's') return { chars: [' ', '\t'], end: i + 2 }
    return /[.\-/()[\]#?*+'|^$]/.test(e) ? { chars: [e], end: i + 2 } : { end: i + 2 }
  }
  if (c === '[') {
    const j = src.indexOf(']', i)
    const body = src.slice(i + 1, j)
    return /\\|^\^|.-./.test(body) ? { end: j + 1 } : { chars: [...body], end: j + 1 }
  }
  if (c === '(') {
    const j = groupEnd(src, i)
    const inner = src.slice(i + 1, j).replace(/^\?:/, '')
    return /^\?/.test(inner) ? { end: j + 1 } : { group: branches(inner), end: j + 1 }
  }
  return '.^$|)'.includes(c) ? { end: i + 1 } : { chars: [c], end: i + 1 }
}

/** Marks a prefix that is a whole match. */
export const whole = '\u0000'

/** The literal prefixes of the matches of `src` from `i` on, each after `prefix`; `tail`: `src`
 * ends where the label ends. */
function expandFrom(src: string, i: number, prefix: string, tail = true): string[] {
  if (i >= src.length) return [tail ? prefix + whole : prefix]
  if (prefix.length >= enough) return [prefix]
  const atom = atomAt(src, i)
  let next = atom.end
  let min = 1
  let repeat = false
  const q = src[next]
  if (q === '?' || q === '*') {
    min = q === '?' ? 0 : 0
    repeat = q === '*'
    next++
  } else if (q === '+') {
    repeat = true
    next++
  } else if (q === '{') {
    const close = src.indexOf('}', next)
    min = Number(src.slice(next + 1, close).split(',')[0])
    repeat = true
    next = close + 1
  }
  const rest = src.slice(next)
  const out: string[] = []
  // without the atom, where it may be absent
  if (min === 0) out.push(...expandFrom(rest, 0, prefix, tail))
  if (atom.group) {
    // each alternative, followed by the rest (or stopping after it, where it repeats)
    for (const b of atom.group)
      out.push(
        ...(repeat ? expandFrom(b, 0, prefix, false) : expandFrom(b + rest, 0, prefix, tail)),
      )
  } else if (atom.chars) {
    for (const ch of atom.chars) {
      const p = prefix + ch.toLowerCase()
      out.push(...(repeat ? [p] : expandFrom(rest, 0, p, tail)))
    }
  } else out.push(prefix)
  return out
}

/** The literal prefixes of a source (lower case, deduplicated); those that are whole matches end
 * with `whole`. */
export function literalPrefixes(src: string): string[] {
  return [...new Set(branches(src).flatMap((b) => expandFrom(b, 0, '')))]
}
