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
