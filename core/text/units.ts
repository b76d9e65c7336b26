/**
 * Unit spellings found in reports, mapped to the canonical unit names that task files use.
 */

/** Spelling (lower-case, superscripts folded) -> canonical unit. Longest spellings are tried first. */
const spellings: Record<string, string> = {
  'ml/m2': 'mL/m^2',
  'ml/m^2': 'mL/m^2',
  'ml/bsa': 'mL/m^2',
  'ml per m2': 'mL/m^2',
  'l/min/m2': 'L/min/m^2',
  'l/min/m^2': 'L/min/m^2',
  'l/min per m2': 'L/min/m^2',
  'g/m2': 'g/m^2',
  'g/m^2': 'g/m^2',
  'l/min': 'L/min',
  'l/minute': 'L/min',
  'litres/min': 'L/min',
  'liters/min': 'L/min',
  mmhg: 'mmHg',
  'mm hg': 'mmHg',
  bpm: 'bpm',
  'beats/min': 'bpm',
  'beats/minute': 'bpm',
  'beats per minute': 'bpm',
  '/min': 'bpm',
  '1/min': 'bpm',
  'min-1': 'bpm',
  'b/min': 'bpm',
  ms: 'ms',
  msec: 'ms',
  milliseconds: 'ms',
  ml: 'mL',
  'ml/beat': 'mL',
  mls: 'mL',
  millilitres: 'mL',
  milliliters: 'mL',
  cc: 'mL',
  // exports write volumes as cubic centimetres (cm3, cm³, ccm)
  cm3: 'mL',
  'cm^3': 'mL',
  ccm: 'mL',
  'cm3/m2': 'mL/m^2',
  'cm^3/m^2': 'mL/m^2',
  g: 'g',
  gm: 'g',
  grams: 'g',
  '%': '%',
  pct: '%',
  percent: '%',
  'per cent': '%',
  cm2: 'cm^2',
  'cm^2': 'cm^2',
  'sq cm': 'cm^2',
  mm2: 'mm^2',
  'mm^2': 'mm^2',
  m2: 'm^2',
  'm^2': 'm^2',
  'sq m': 'm^2',
  cm: 'cm',
  centimetres: 'cm',
  centimeters: 'cm',
  mm: 'mm',
  millimetres: 'mm',
  millimeters: 'mm',
  m: 'm',
  metres: 'm',
  meters: 'm',
  in: 'in',
  inch: 'in',
  inches: 'in',
  '"': 'in',
  kg: 'kg',
  kgs: 'kg',
  kilograms: 'kg',
  lb: 'lb',
  lbs: 'lb',
  pounds: 'lb',
}

/** Folds the ways reports write exponents and case, so that mL/m² and ml/m2 read the same. */
export function foldUnit(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/²/g, '2')
    .replace(/³/g, '3')
    .replace(/\^2/g, '^2')
    .replace(/·/g, '/')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The canonical unit for a spelling, or undefined if it is not one radstruct knows. */
export function canonicalUnit(raw: string): string | undefined {
  return spellings[foldUnit(raw)]
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const alternatives = Object.keys(spellings)
  .sort((a, b) => b.length - a.length)
  .map((s) => escapeRegex(s).replace(/2$/, '[2²]').replace(/ /g, '\\s?'))
  .join('|')

/**
 * Matches a unit right after a number, or at the start of the next line when a sentence wraps
 * ("at 89\nml/m2"): group 1 a known spelling, group 2 any other word.
 */
export const unitAfterNumber = new RegExp(
  // a known unit not followed by more of a unit: "g/dL" and "mg/dl" are not grams
  `^(?:[ \\t]?|[ \\t]*\\n[ \\t]*)(?:(${alternatives})(?![A-Za-z0-9²]|\\/[A-Za-z])|-?([A-Za-z]+))`,
  'i',
)

/** "in" followed by these is the preposition ("9 mm in the basal wall"), not inches. */
export const prepositionIn =
  /^\s+(?:the|a|an|his|her|both|all|this|that|sinus|keeping|comparison|view|systole|diastole|which|it|keeping)\b/i

/** Label words that are units only inside brackets, never as a bare last word ("LV volume in:"). */
const ambiguousBare = new Set(['in', 'm', 'g', '"'])

/**
 * A unit written in a number's label: in brackets ("LV EDV [ml]:", "BSA (Mosteller) [m²]:") or as
 * the label's last word(s) in exports ("LV_EDV_ML=", "LV_EDVI_ML_M2=").
 */
export function unitInLabel(label: string): string | undefined {
  const brackets = [...label.matchAll(/[[(]([^\])]{1,16})[\])]/g)]
  for (let i = brackets.length - 1; i >= 0; i--) {
    const u = canonicalUnit((brackets[i] as RegExpMatchArray)[1] as string)
    if (u) return u
  }
  const words = label
    .replace(/[\s:=]+$/, '')
    .split(/[\s_/]+/)
    .filter(Boolean)
  const last = words.at(-1)
  if (!last) return undefined
  // "..._L_MIN_M2=" is l/min/m2, "..._ML_M2=" ml/m2: try the longest compound first
  for (const n of [3, 2]) {
    if (words.length < n) continue
    const unit = canonicalUnit(words.slice(-n).join('/'))
    if (unit) return unit
  }
  return ambiguousBare.has(last.toLowerCase()) ? undefined : canonicalUnit(last)
}
