/** Infers the patient's sex from a report, for sex-specific reference values. */
export type Sex = 'male' | 'female'

const explicit = /\b(?:sex|gender)\s*[:=]?\s*(male|female|m|f|man|woman)\b/i
const compact = /\b\d{1,3}\s*(?:y(?:ears?)?(?:\s*old)?|yo)?\s*[-/,]?\s*(m|f)\b/i
const femaleWords = /\b(?:female|woman|lady|girl|mrs|ms|miss|she)\b/gi
const maleWords = /\b(?:male|man|gentleman|boy|mr|he)\b/gi

/** 'male' or 'female' when the report says so (a "Sex:" line wins over words in the text), else undefined. */
export function inferSex(text: string): Sex | undefined {
  const e = explicit.exec(text)
  if (e) return /^(f|female|woman)$/i.test(e[1] as string) ? 'female' : 'male'
  const f = text.match(femaleWords)?.length ?? 0
  const m = text.match(maleWords)?.length ?? 0
  if (f > m) return 'female'
  if (m > f) return 'male'
  const c = compact.exec(text)
  if (c) return (c[1] as string).toLowerCase() === 'f' ? 'female' : 'male'
  return undefined
}
