/**
 * Units as decoded statements write them. UCUM codes (HL7 OBX-6, FHIR valueQuantity) and the
 * rarer spellings exports use for a known unit (cm³ and ccm for millilitres, cc, beats/min) are
 * written in the spelling reports use most, so that every reader, the students included, reads
 * one spelling per unit; the map back to the original keeps the evidence on the written unit.
 */
import { canonicalUnit, foldUnit } from '../text/units.ts'

const ucum: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  '{beats}/min': 'bpm',
  '[in_i]': 'in',
  '[lb_av]': 'lb',
  'mL/{beat}': 'mL',
}

/** Canonical unit -> the spelling reports use most. */
const common: Record<string, string> = {
  mL: 'ml',
  'mL/m^2': 'ml/m2',
  bpm: 'bpm',
  mmHg: 'mmHg',
}

/** The unit as decoded statements write it, or undefined where the written spelling is kept. */
export function unitAsRead(written: string): string | undefined {
  const trimmed = written.trim()
  const word = ucum[trimmed]
  if (word !== undefined) return word
  const canonical = canonicalUnit(trimmed)
  const spelling = canonical ? common[canonical] : undefined
  return spelling && foldUnit(spelling) !== foldUnit(trimmed).replace('^', '')
    ? spelling
    : undefined
}

/** A string that is a unit alone: one the reader knows, or a short token of unit shape ("ml/m²",
 * "cm2", "%", "[in_i]"): how a decoder tells a unit cell or attribute from a name by its value. */
export const isUnitAlone = (v: string): boolean =>
  canonicalUnit(v) !== undefined ||
  unitAsRead(v) !== undefined ||
  /^\s*(?:%|°\w*|[\p{L}µ]{1,4}\s*\/\s*[\p{L}\d²³]{1,6}(?:\s*\/\s*[\p{L}\d²³]{1,4})?|[\p{L}]{1,3}[²³23]|\[[^\]]{1,12}\])\s*$/u.test(
    v,
  )

/** An identifier as words: "endDiastolicVolume", "Area4Ch", "t1Native" -> "end Diastolic Volume",
 * "Area 4 Ch", "t1 Native"; a namespace prefix goes. "T1", "bsa_m2" and "area_cm2" keep their
 * digits. */
export const identifierWords = (id: string): string =>
  id
    .replace(/^[\w.-]+:(?=\w)/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([a-z]{2})(\d+)(?=[A-Z])/g, '$1 $2')
    .replace(/(\d)([A-Z][a-z])/g, '$1 $2')
    .trim()
