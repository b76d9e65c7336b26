/** UCUM units (HL7 OBX-6, FHIR valueQuantity) as reports spell them, where they differ. */
const words: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  '{beats}/min': 'bpm',
  '[in_i]': 'in',
  '[lb_av]': 'lb',
  'mL/{beat}': 'mL',
}

/** The unit as a report writes it, or undefined where UCUM's spelling is already one. */
export function ucumAsWritten(unit: string): string | undefined {
  const w = words[unit]
  return w !== undefined && w !== unit ? w : undefined
}
